package org.conv1d4j.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.ModelProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.TensorShapeProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.WeightLayout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an ONNX model into a {@link NetGraph}: constants evaluated ({@link ConstantFolder}), {@code Identity} and
 * {@code Dropout} removed, the GELU and SiLU patterns recognised, every other node mapped to a {@link NetNode} or
 * refused. One instance reads one model.
 */
final class OnnxImporter {
    static final int MIN_OPSET = 13;
    static final int MAX_OPSET = 21;
    private static final double SQRT2 = Math.sqrt(2);

    private final Map<String, ConstTensor> constants = new HashMap<>();
    /** The dynamic tensors (the network's data), with their channel counts. */
    private final Map<String, Integer> channels = new HashMap<>();
    /** Outputs of removed nodes ({@code Identity}, {@code Dropout}) to the tensor they pass on. */
    private final Map<String, String> aliases = new HashMap<>();
    private final Set<NodeProto> absorbed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private ModelGraph graph;
    private NetGraph.Builder builder;
    private String inputName;
    private long[] inputDims;
    private boolean[] inputSymbolic;

    static NetGraph read(byte[] bytes) {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw Refusal.model("not a readable ONNX file (protobuf: " + Refusal.clip(String.valueOf(e.getMessage()))
                    + ")");
        }
        return new OnnxImporter().convert(model);
    }

    private NetGraph convert(ModelProto model) {
        checkOpsets(model);
        if (!model.hasGraph()) {
            throw Refusal.model("has no graph");
        }
        GraphProto g = model.getGraph();
        if (g.getSparseInitializerCount() > 0) {
            throw Refusal.model("sparse initializers are not supported");
        }
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) {
                throw Refusal.model("an initializer has no name");
            }
            if (constants.put(t.getName(), TensorDecoder.decode(t, "initializer '" + Refusal.clip(t.getName()) + "'"))
                    != null) {
                throw Refusal.model("initializer '" + Refusal.clip(t.getName()) + "' is given twice");
            }
        }
        readInput(g);
        if (g.getOutputCount() != 1) {
            throw Refusal.model("has " + g.getOutputCount() + " outputs; a network has exactly one");
        }
        String outputName = g.getOutput(0).getName();
        Set<String> sources = new HashSet<>(constants.keySet());
        sources.add(inputName);
        graph = new ModelGraph(g, sources, outputName);
        builder = NetGraph.builder(inputName, (int) inputDims[1]);
        if (!inputSymbolic[0]) {
            builder.fixedBatch((int) inputDims[0]);
        }
        if (!inputSymbolic[2]) {
            builder.fixedWidth((int) inputDims[2]);
        }
        for (NodeProto n : graph.order) {
            if (!absorbed.contains(n)) {
                convert(n);
            }
        }
        String out = resolve(outputName);
        if (!channels.containsKey(out)) {
            throw Refusal.model("the output '" + Refusal.clip(outputName) + "' is a constant, not computed from the input");
        }
        return builder.build(out);
    }

    private static void checkOpsets(ModelProto model) {
        Long version = null;
        for (OperatorSetIdProto o : model.getOpsetImportList()) {
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
                version = o.getVersion();
            }
        }
        if (version == null) {
            throw Refusal.model("imports no version of the default ONNX opset");
        }
        if (version < MIN_OPSET || version > MAX_OPSET) {
            throw Refusal.model("opset " + version + " is not supported (opsets " + MIN_OPSET + " to " + MAX_OPSET + ")");
        }
    }

    private void readInput(GraphProto g) {
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!constants.containsKey(v.getName())) {
                inputs.add(v);
            }
        }
        if (inputs.size() != 1) {
            throw Refusal.model("has " + inputs.size() + " inputs besides its initializers; a network has exactly one");
        }
        ValueInfoProto in = inputs.get(0);
        inputName = in.getName();
        String where = "input '" + Refusal.clip(inputName) + "'";
        if (inputName.isEmpty()) {
            throw Refusal.model("the input has no name");
        }
        if (!in.hasType() || !in.getType().hasTensorType()) {
            throw Refusal.model(where + " is not a tensor");
        }
        var tt = in.getType().getTensorType();
        if (tt.getElemType() != ConstTensor.FLOAT) {
            throw Refusal.model(where + " has data type " + TensorDecoder.typeName(tt.getElemType())
                    + "; networks take float32");
        }
        if (!tt.hasShape() || tt.getShape().getDimCount() != 3) {
            throw Refusal.model(where + " has rank " + (tt.hasShape() ? tt.getShape().getDimCount() : "unknown")
                    + "; networks take 3-D tensors (N, C, W)");
        }
        inputDims = new long[3];
        inputSymbolic = new boolean[3];
        String[] names = {"N", "C", "W"};
        for (int d = 0; d < 3; d++) {
            TensorShapeProto.Dimension dim = tt.getShape().getDim(d);
            if (dim.hasDimValue()) {
                long v = dim.getDimValue();
                if (v < 1 || v > Integer.MAX_VALUE - 8) {
                    throw Refusal.model(where + " has " + names[d] + " = " + v + "; it must be in [1, 2^31-9]");
                }
                inputDims[d] = v;
            } else {
                inputSymbolic[d] = true;
            }
        }
        if (inputSymbolic[1]) {
            throw Refusal.model(where + " has a symbolic channel count; C must be fixed");
        }
        channels.put(inputName, (int) inputDims[1]);
    }

    private String resolve(String name) {
        String r = name;
        for (int guard = 0; aliases.containsKey(r) && guard < 1_000_000; guard++) {
            r = aliases.get(r);
        }
        return r;
    }

    // ---- one node ----

    private void convert(NodeProto n) {
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw Refusal.node(n, "domain '" + Refusal.clip(n.getDomain()) + "' is not supported (only the default "
                    + "ONNX domain)");
        }
        String op = n.getOpType();
        if (op.equals("Shape") && n.getInputCount() == 1 && isDynamic(n.getInput(0))) {
            constants.put(singleOutput(n), shapeOfDynamic(n));
            return;
        }
        if (ConstantFolder.OPS.contains(op) && allInputsConstant(n)) {
            ConstTensor value = ConstantFolder.fold(n, constInputs(n));
            constants.put(singleOutput(n), value);
            return;
        }
        NetNode node = switch (op) {
            case "Conv" -> conv(n, false);
            case "ConvTranspose" -> conv(n, true);
            case "BatchNormalization" -> batchNorm(n);
            case "Relu", "Tanh", "HardSwish" -> pointwise(n, Set.of(), op.equals("Relu") ? Pointwise.RELU
                    : op.equals("Tanh") ? Pointwise.TANH : Pointwise.HARD_SWISH, 0, 0);
            case "LeakyRelu" -> pointwise(n, Set.of("alpha"), Pointwise.LEAKY_RELU,
                    new Attrs(n, Set.of("alpha")).real("alpha", 0.01f), 0);
            case "Elu" -> pointwise(n, Set.of("alpha"), Pointwise.ELU, new Attrs(n, Set.of("alpha")).real("alpha", 1f), 0);
            case "HardSigmoid" -> {
                Attrs a = new Attrs(n, Set.of("alpha", "beta"));
                yield pointwise(n, Set.of("alpha", "beta"), Pointwise.HARD_SIGMOID, a.real("alpha", 0.2f),
                        a.real("beta", 0.5f));
            }
            case "Sigmoid" -> sigmoid(n);
            case "Gelu" -> gelu(n);
            case "Clip" -> clip(n);
            case "PRelu" -> prelu(n);
            case "Add" -> add(n);
            case "Div", "Mul", "Erf" -> geluPattern(n);
            case "Pad" -> pad(n);
            case "Slice" -> slice(n);
            case "Concat" -> concat(n);
            case "MaxPool", "AveragePool" -> pool(n, op.equals("MaxPool"));
            case "GlobalMaxPool", "GlobalAveragePool" -> {
                new Attrs(n, Set.of());
                yield new GlobalPoolNode(name(n), data(n, 0, 1), singleOutput(n), op.equals("GlobalMaxPool"));
            }
            case "Identity", "Dropout" -> {
                removed(n);
                yield null;
            }
            default -> throw Refusal.node(n, unsupportedWhy(n));
        };
        if (node != null) {
            add(n, node);
        }
    }

    private static String unsupportedWhy(NodeProto n) {
        if (ConstantFolder.OPS.contains(n.getOpType())) {
            return "is evaluated only when all its inputs are constants, and here one is computed from the network's "
                    + "input";
        }
        return "op " + Refusal.clip(n.getOpType()) + " is not supported in a Conv1D network (supported: Conv, "
                + "ConvTranspose, BatchNormalization, Relu, LeakyRelu, Elu, Tanh, Sigmoid, Clip, HardSigmoid, "
                + "HardSwish, Gelu, PRelu, Add, Pad, Slice, Concat, MaxPool, AveragePool, GlobalMaxPool, "
                + "GlobalAveragePool, Identity, Dropout, and constant subgraphs)";
    }

    private void add(NodeProto n, NetNode node) {
        int[] in = new int[node.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = channels.get(node.inputs().get(i));
        }
        try {
            channels.put(node.output(), node.outputChannels(in));
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
        builder.add(node);
    }

    private boolean isDynamic(String name) {
        return !name.isEmpty() && channels.containsKey(resolve(name));
    }

    private boolean allInputsConstant(NodeProto n) {
        for (String in : n.getInputList()) {
            if (!in.isEmpty() && !constants.containsKey(resolve(in))) {
                return false;
            }
        }
        return true;
    }

    private List<ConstTensor> constInputs(NodeProto n) {
        List<ConstTensor> in = new ArrayList<>();
        for (String s : n.getInputList()) {
            in.add(s.isEmpty() ? null : constants.get(resolve(s)));
        }
        return in;
    }

    private static String name(NodeProto n) {
        return n.getName().isEmpty() ? n.getOpType() + ":" + n.getOutput(0) : n.getName();
    }

    /** The node's only output that anything reads; the others must be absent or unread. */
    private String singleOutput(NodeProto n) {
        String out = n.getOutput(0);
        if (out.isEmpty()) {
            throw Refusal.node(n, "its first output has no name");
        }
        for (int i = 1; i < n.getOutputCount(); i++) {
            if (!n.getOutput(i).isEmpty() && graph.isRead(n.getOutput(i))) {
                throw Refusal.node(n, "output " + i + " ('" + Refusal.clip(n.getOutput(i))
                        + "') is read, but only the first output is supported");
            }
        }
        return out;
    }

    private static void arity(NodeProto n, int min, int max) {
        if (n.getInputCount() < min || n.getInputCount() > max) {
            throw Refusal.node(n, "takes " + min + (max > min ? " to " + max : "") + " inputs, got "
                    + n.getInputCount());
        }
    }

    /** Input {@code i}, which must be the network's data; checks the node's input count. */
    private String data(NodeProto n, int i, int maxInputs) {
        arity(n, i + 1, maxInputs);
        String s = n.getInput(i);
        if (!isDynamic(s)) {
            throw Refusal.node(n, "input " + i + " ('" + Refusal.clip(s) + "') must be computed from the network's "
                    + "input" + (constants.containsKey(resolve(s)) ? ", not a constant" : ""));
        }
        return resolve(s);
    }

    /** Input {@code i} as a constant, or null when it is absent and optional. */
    private ConstTensor constant(NodeProto n, int i, boolean required) {
        String s = i < n.getInputCount() ? n.getInput(i) : "";
        if (s.isEmpty()) {
            if (required) {
                throw Refusal.node(n, "input " + i + " is missing");
            }
            return null;
        }
        ConstTensor t = constants.get(resolve(s));
        if (t == null) {
            throw Refusal.node(n, "input " + i + " ('" + Refusal.clip(s) + "') must be a constant (an initializer "
                    + "or computed from constants), not computed from the network's input");
        }
        return t;
    }

    private float[] floats(NodeProto n, int i, String what, int length) {
        ConstTensor t = constant(n, i, true);
        if (!t.isFloat()) {
            throw Refusal.node(n, what + " must be float32, got " + TensorDecoder.typeName(t.type));
        }
        if (length >= 0 && (t.rank() != 1 || t.size() != length)) {
            throw Refusal.node(n, what + " must be 1-D of " + length + " values, got " + t);
        }
        return t.floats;
    }

    private double scalar(NodeProto n, int i, String what) {
        ConstTensor t = constant(n, i, true);
        if (t.size() != 1) {
            throw Refusal.node(n, what + " must be one value, got " + t);
        }
        if (!t.allKnown()) {
            throw Refusal.node(n, what + " depends on the model's symbolic batch or width");
        }
        return t.value(0);
    }

    private ConstTensor shapeOfDynamic(NodeProto n) {
        String x = resolve(n.getInput(0));
        boolean isInput = x.equals(inputName);
        long[] dims = {isInput || !inputSymbolic[0] ? inputDims[0] : 0, channels.get(x), isInput ? inputDims[2] : 0};
        boolean[] unknown = {inputSymbolic[0], false, !isInput || inputSymbolic[2]};
        return ConstantFolder.shape(n, dims, unknown);
    }

    // ---- the ops ----

    private NetNode conv(NodeProto n, boolean transposed) {
        Set<String> allowed = transposed
                ? Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides", "output_padding",
                        "output_shape")
                : Set.of("auto_pad", "dilations", "group", "kernel_shape", "pads", "strides");
        Attrs a = new Attrs(n, allowed);
        String x = data(n, 0, 3);
        ConstTensor w = constant(n, 1, true);
        if (!w.isFloat() || w.rank() != 3) {
            throw Refusal.node(n, "the weights must be a 3-D float32 tensor (a 1-D conv), got " + w);
        }
        int k = (int) w.dims[2];
        int kernel = a.single("kernel_shape", k, 1);
        if (kernel != k) {
            throw Refusal.node(n, "kernel_shape " + kernel + " does not match the weights' " + k);
        }
        int group = a.toInt("group", a.integer("group", 1), 1);
        long in = transposed ? w.dims[0] : w.dims[1] * group;
        long out = transposed ? w.dims[1] * group : w.dims[0];
        if (in < 1 || out < 1 || in > Integer.MAX_VALUE - 8 || out > Integer.MAX_VALUE - 8 || k < 1) {
            throw Refusal.node(n, "the weights " + w + " with group " + group + " give no valid channel counts");
        }
        float[] bias = null;
        if (n.getInputCount() > 2 && !n.getInput(2).isEmpty()) {
            bias = floats(n, 2, "the bias", (int) out);
        }
        String autoPad = a.string("auto_pad", "NOTSET");
        ConvNode.AutoPad mode;
        Padding padding;
        switch (autoPad) {
            case "NOTSET" -> {
                int[] p = a.pads();
                mode = ConvNode.AutoPad.NOTSET;
                padding = Padding.explicit(p[0], p[1]);
            }
            case "VALID" -> {
                mode = ConvNode.AutoPad.NOTSET;
                padding = Padding.VALID;
            }
            case "SAME_UPPER", "SAME_LOWER" -> {
                mode = autoPad.equals("SAME_UPPER") ? ConvNode.AutoPad.SAME_UPPER : ConvNode.AutoPad.SAME_LOWER;
                padding = Padding.VALID;
            }
            default -> throw Refusal.node(n, "auto_pad '" + Refusal.clip(autoPad) + "' is not one of NOTSET, "
                    + "SAME_UPPER, SAME_LOWER, VALID");
        }
        int outputShape = 0;
        List<Long> os = a.integers("output_shape");
        if (os != null) {
            if (os.isEmpty()) {
                throw Refusal.node(n, "output_shape is empty");
            }
            outputShape = a.toInt("output_shape", os.get(os.size() - 1), 1);
            padding = Padding.VALID;
        }
        try {
            Conv1dSpec spec = Conv1dSpec.builder((int) in, (int) out, k)
                    .op(transposed ? Op.CONV_TRANSPOSE1D : Op.CONV1D)
                    .stride(a.single("strides", 1, 1))
                    .dilation(a.single("dilations", 1, 1))
                    .groups(group)
                    .padding(padding)
                    .outputPadding(transposed ? a.single("output_padding", 0, 0) : 0)
                    .bias(bias != null)
                    .weightLayout(transposed ? WeightLayout.IOW : WeightLayout.OIW)
                    .build();
            return new ConvNode(name(n), x, singleOutput(n), spec, w.floats, bias, mode, outputShape);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
    }

    private NetNode batchNorm(NodeProto n) {
        Attrs a = new Attrs(n, Set.of("epsilon", "momentum", "training_mode"));
        if (a.integer("training_mode", 0) != 0) {
            throw Refusal.node(n, "training_mode is set; only inference is supported");
        }
        String x = data(n, 0, 5);
        arity(n, 5, 5);
        int c = channels.get(x);
        try {
            return new BatchNormNode(name(n), x, singleOutput(n), floats(n, 1, "scale", c), floats(n, 2, "B", c),
                    floats(n, 3, "input_mean", c), floats(n, 4, "input_var", c), a.real("epsilon", 1e-5f));
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
    }

    private NetNode pointwise(NodeProto n, Set<String> attrs, Pointwise f, double alpha, double beta) {
        new Attrs(n, attrs);
        return new PointwiseNode(name(n), data(n, 0, 1), singleOutput(n), f, alpha, beta);
    }

    /** {@code Sigmoid}, or with a {@code Mul} of its input by it, SiLU. */
    private NetNode sigmoid(NodeProto n) {
        new Attrs(n, Set.of());
        String x = data(n, 0, 1);
        String s = singleOutput(n);
        NodeProto mul = graph.soleReader(s);
        if (mul != null && mul.getOpType().equals("Mul") && mul.getInputCount() == 2 && mul.getAttributeCount() == 0
                && mul.getDomain().isEmpty() && otherInput(mul, s) != null
                && resolve(otherInput(mul, s)).equals(x)) {
            absorbed.add(mul);
            return new PointwiseNode(name(n) + "+" + name(mul), x, singleOutput(mul), Pointwise.SILU, 0, 0);
        }
        return new PointwiseNode(name(n), x, s, Pointwise.SIGMOID, 0, 0);
    }

    private NetNode gelu(NodeProto n) {
        Attrs a = new Attrs(n, Set.of("approximate"));
        String approx = a.string("approximate", "none");
        Pointwise f = switch (approx) {
            case "none" -> Pointwise.GELU;
            case "tanh" -> Pointwise.GELU_TANH;
            default -> throw Refusal.node(n, "approximate '" + Refusal.clip(approx) + "' is not none or tanh");
        };
        return new PointwiseNode(name(n), data(n, 0, 1), singleOutput(n), f, 0, 0);
    }

    private NetNode clip(NodeProto n) {
        new Attrs(n, Set.of());
        String x = data(n, 0, 3);
        double min = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? scalar(n, 1, "min")
                : Double.NEGATIVE_INFINITY;
        double max = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? scalar(n, 2, "max")
                : Double.POSITIVE_INFINITY;
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw Refusal.node(n, "min " + min + " and max " + max + " do not make a range");
        }
        return new PointwiseNode(name(n), x, singleOutput(n), Pointwise.CLIP, min, max);
    }

    private NetNode prelu(NodeProto n) {
        new Attrs(n, Set.of());
        String x = data(n, 0, 2);
        arity(n, 2, 2);
        ConstTensor slope = constant(n, 1, true);
        int c = channels.get(x);
        if (!slope.isFloat()) {
            throw Refusal.node(n, "the slope must be float32");
        }
        boolean scalar = slope.size() == 1;
        boolean perChannel = slope.size() == c && (slope.rank() == 2 && slope.dims[1] == 1
                || slope.rank() == 3 && slope.dims[0] == 1 && slope.dims[2] == 1);
        if (!scalar && !perChannel) {
            throw Refusal.node(n, "the slope " + slope + " is neither one value nor one per channel ((C, 1) for "
                    + c + " channels)");
        }
        return new PReluNode(name(n), x, singleOutput(n), slope.floats);
    }

    private NetNode add(NodeProto n) {
        new Attrs(n, Set.of());
        arity(n, 2, 2);
        if (!isDynamic(n.getInput(0)) || !isDynamic(n.getInput(1))) {
            throw Refusal.node(n, "adds a constant; only the sum of two computed tensors of the same shape (a "
                    + "residual) is supported, or the Add of the GELU pattern");
        }
        return new AddNode(name(n), resolve(n.getInput(0)), resolve(n.getInput(1)), singleOutput(n));
    }

    private static String otherInput(NodeProto n, String one) {
        if (n.getInputCount() != 2) {
            return null;
        }
        if (n.getInput(0).equals(one)) {
            return n.getInput(1);
        }
        return n.getInput(1).equals(one) ? n.getInput(0) : null;
    }

    private boolean isConstNear(String name, double value) {
        ConstTensor t = name == null ? null : constants.get(resolve(name));
        return t != null && t.isFloat() && t.size() == 1 && Math.abs(t.floats[0] - value) <= 1e-6 * Math.max(1, value);
    }

    private static boolean plain(NodeProto n, String op) {
        return n != null && n.getOpType().equals(op) && n.getAttributeCount() == 0
                && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) && n.getOutputCount() == 1;
    }

    /**
     * GELU as exporters write it before opset 20: {@code Div(x, sqrt 2) -> Erf -> Add(., 1) -> Mul(x, .) ->
     * Mul(., 0.5)} (or {@code Mul(x, 1/sqrt 2)} first). Anything else with {@code Div}, {@code Mul} or {@code Erf}
     * on the network's data is refused.
     */
    private NetNode geluPattern(NodeProto n) {
        String why = n.getOpType() + " on the network's data is supported only as part of the GELU pattern (Div by "
                + "sqrt(2), Erf, Add 1, Mul by the input, Mul by 0.5) or of SiLU (Sigmoid, Mul)";
        if (!(plain(n, "Div") || plain(n, "Mul")) || n.getInputCount() != 2 || !isDynamic(n.getInput(0))) {
            throw Refusal.node(n, why);
        }
        String x = n.getInput(0);
        boolean scaled = n.getOpType().equals("Div") ? isConstNear(n.getInput(1), SQRT2)
                : isConstNear(n.getInput(1), 1 / SQRT2);
        NodeProto erf = graph.soleReader(n.getOutput(0));
        if (!scaled || !plain(erf, "Erf") || erf.getInputCount() != 1) {
            throw Refusal.node(n, why);
        }
        NodeProto add = graph.soleReader(erf.getOutput(0));
        if (!plain(add, "Add") || !isConstNear(otherInput(add, erf.getOutput(0)), 1)) {
            throw Refusal.node(n, why);
        }
        NodeProto mul = graph.soleReader(add.getOutput(0));
        String other = plain(mul, "Mul") ? otherInput(mul, add.getOutput(0)) : null;
        if (other == null || !resolve(other).equals(resolve(x))) {
            throw Refusal.node(n, why);
        }
        NodeProto half = graph.soleReader(mul.getOutput(0));
        if (!plain(half, "Mul") || !isConstNear(otherInput(half, mul.getOutput(0)), 0.5)) {
            throw Refusal.node(n, why);
        }
        absorbed.add(erf);
        absorbed.add(add);
        absorbed.add(mul);
        absorbed.add(half);
        return new PointwiseNode(name(n) + "..." + name(half), resolve(x), half.getOutput(0), Pointwise.GELU, 0, 0);
    }

    private NetNode pad(NodeProto n) {
        Attrs a = new Attrs(n, Set.of("mode"));
        String x = data(n, 0, 4);
        arity(n, 2, 4);
        String modeName = a.string("mode", "constant");
        PaddingMode mode = switch (modeName) {
            case "constant" -> PaddingMode.ZEROS;
            case "reflect" -> PaddingMode.REFLECT;
            case "edge" -> PaddingMode.REPLICATE;
            case "wrap" -> PaddingMode.CIRCULAR;
            default -> throw Refusal.node(n, "mode '" + Refusal.clip(modeName) + "' is not supported");
        };
        long[] pads = ConstantFolder.ints(n, constant(n, 1, true), "pads");
        ConstTensor value = constant(n, 2, false);
        if (value != null && (value.size() != 1 || value.value(0) != 0)) {
            throw Refusal.node(n, "constant_value must be 0 (only zero padding is supported), got " + value);
        }
        ConstTensor axesT = constant(n, 3, false);
        long[] axes = axesT == null ? new long[] {0, 1, 2} : ConstantFolder.ints(n, axesT, "axes");
        if (pads.length != 2 * axes.length) {
            throw Refusal.node(n, "pads holds " + pads.length + " values for " + axes.length + " axes");
        }
        long left = 0;
        long right = 0;
        for (int i = 0; i < axes.length; i++) {
            long ax = axes[i] < 0 ? axes[i] + 3 : axes[i];
            if (ax < 0 || ax > 2) {
                throw Refusal.node(n, "axis " + axes[i] + " is out of range for a 3-D tensor");
            }
            long b = pads[i];
            long e = pads[i + axes.length];
            if (ax != 2 && (b != 0 || e != 0)) {
                throw Refusal.node(n, "pads axis " + ax + "; only W (axis 2) may be padded");
            }
            if (ax == 2) {
                left = b;
                right = e;
            }
        }
        if (left < 0 || right < 0 || left > Integer.MAX_VALUE - 8 || right > Integer.MAX_VALUE - 8) {
            throw Refusal.node(n, "pads [" + left + ", " + right + "] along W must be >= 0 and below 2^31");
        }
        return new PadNode(name(n), x, singleOutput(n), (int) left, (int) right, mode);
    }

    private NetNode slice(NodeProto n) {
        new Attrs(n, Set.of());
        String x = data(n, 0, 5);
        arity(n, 3, 5);
        long[] starts = ConstantFolder.ints(n, constant(n, 1, true), "starts");
        long[] ends = ConstantFolder.ints(n, constant(n, 2, true), "ends");
        ConstTensor axesT = constant(n, 3, false);
        ConstTensor stepsT = constant(n, 4, false);
        long[] axes = axesT == null ? null : ConstantFolder.ints(n, axesT, "axes");
        long[] steps = stepsT == null ? null : ConstantFolder.ints(n, stepsT, "steps");
        int k = starts.length;
        if (ends.length != k || axes != null && axes.length != k || steps != null && steps.length != k) {
            throw Refusal.node(n, "starts, ends, axes and steps must have the same length");
        }
        long start = 0;
        long end = Long.MAX_VALUE;
        int c = channels.get(x);
        for (int i = 0; i < k; i++) {
            long ax = axes == null ? i : axes[i] < 0 ? axes[i] + 3 : axes[i];
            if (ax < 0 || ax > 2) {
                throw Refusal.node(n, "axis " + (axes == null ? i : axes[i]) + " is out of range for a 3-D tensor");
            }
            if (steps != null && steps[i] != 1) {
                throw Refusal.node(n, "step " + steps[i] + "; only step 1 is supported");
            }
            if (ax == 2) {
                start = starts[i];
                end = ends[i];
            } else {
                boolean whole = starts[i] == 0 && (ends[i] >= (ax == 1 ? c : Integer.MAX_VALUE));
                if (!whole) {
                    throw Refusal.node(n, "slices axis " + ax + "; only W (axis 2) may be sliced");
                }
            }
        }
        return new SliceNode(name(n), x, singleOutput(n), start, end);
    }

    private NetNode concat(NodeProto n) {
        Attrs a = new Attrs(n, Set.of("axis"));
        long axis = a.integer("axis", Long.MIN_VALUE);
        if (axis != 1 && axis != -2) {
            throw Refusal.node(n, "axis " + (axis == Long.MIN_VALUE ? "(missing)" : axis)
                    + "; only the channels (axis 1) of 3-D tensors may be concatenated");
        }
        List<String> in = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) {
            in.add(data(n, i, n.getInputCount()));
        }
        if (in.isEmpty()) {
            throw Refusal.node(n, "has no inputs");
        }
        return new ConcatNode(name(n), in, singleOutput(n));
    }

    private NetNode pool(NodeProto n, boolean max) {
        Attrs a = new Attrs(n, max
                ? Set.of("auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides")
                : Set.of("auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"));
        String x = data(n, 0, 1);
        String autoPad = a.string("auto_pad", "NOTSET");
        int[] pads = a.pads();
        if (autoPad.equals("VALID")) {
            pads = new int[2];
        } else if (!autoPad.equals("NOTSET")) {
            throw Refusal.node(n, "auto_pad '" + Refusal.clip(autoPad) + "' is not supported for pooling (NOTSET or "
                    + "VALID)");
        }
        if (!a.has("kernel_shape")) {
            throw Refusal.node(n, "kernel_shape is missing");
        }
        try {
            return new PoolNode(name(n), x, singleOutput(n), max, a.single("kernel_shape", 1, 1),
                    a.single("strides", 1, 1), pads[0], pads[1], a.single("dilations", 1, 1),
                    a.integer("ceil_mode", 0) != 0, a.integer("count_include_pad", 0) != 0);
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
    }

    /** {@code Identity} and inference {@code Dropout} pass their input on. */
    private void removed(NodeProto n) {
        if (n.getOpType().equals("Dropout")) {
            new Attrs(n, Set.of("seed"));
            arity(n, 1, 3);
            ConstTensor training = constant(n, 2, false);
            if (training != null && (training.size() != 1 || training.value(0) != 0)) {
                throw Refusal.node(n, "training_mode is set; only inference is supported");
            }
            constant(n, 1, false);
        } else {
            new Attrs(n, Set.of());
            arity(n, 1, 1);
        }
        String x = data(n, 0, n.getInputCount());
        aliases.put(singleOutput(n), x);
    }
}
