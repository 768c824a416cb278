package org.conv1d4j.onnx;

import com.google.protobuf.InvalidProtocolBufferException;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.WidthExpr;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.ModelProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.OperatorSetIdProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.TensorShapeProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Turns an ONNX model into a {@link NetGraph}: constants evaluated ({@link ConstantFolder}), {@code Identity} and
 * {@code Dropout} removed, the GELU and SiLU patterns recognised, every other node mapped to a {@link NetNode} or
 * refused. One instance reads one model.
 */
final class OnnxImporter {
    static final int MIN_OPSET = 13;
    static final int MAX_OPSET = 21;

    private final Values values = new Values();
    private final Set<NodeProto> absorbed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    /** Elements of all the tensors computed at load time so far, against {@link ConstTensor#MAX_FOLDED_TOTAL}. */
    private long folded;
    private OpMapper mapper;
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
        long opset = checkOpsets(model);
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
            if (!values.putConstant(t.getName(), TensorDecoder.decode(t, "initializer '" + Refusal.clip(t.getName())
                    + "'"))) {
                throw Refusal.model("initializer '" + Refusal.clip(t.getName()) + "' is given twice");
            }
        }
        readInput(g);
        if (g.getOutputCount() != 1) {
            throw Refusal.model("has " + g.getOutputCount() + " outputs; a network has exactly one");
        }
        String outputName = g.getOutput(0).getName();
        Set<String> sources = new HashSet<>(values.constantNames());
        sources.add(inputName);
        values.graph(new ModelGraph(g, sources, outputName));
        mapper = new OpMapper(values, opset, new Patterns(values, absorbed));
        builder = NetGraph.builder(inputName, (int) inputDims[1]);
        if (!inputSymbolic[0]) {
            builder.fixedBatch((int) inputDims[0]);
        }
        if (!inputSymbolic[2]) {
            builder.fixedWidth((int) inputDims[2]);
        }
        for (NodeProto n : values.graph().order) {
            if (!absorbed.contains(n)) {
                convert(n);
            }
        }
        String out = values.resolve(outputName);
        if (!values.isData(out)) {
            throw Refusal.model("the output '" + Refusal.clip(outputName) + "' is a constant, not computed from the input");
        }
        return builder.build(out);
    }

    private static long checkOpsets(ModelProto model) {
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
        return version;
    }

    private void readInput(GraphProto g) {
        List<ValueInfoProto> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) {
            if (!values.isConstant(v.getName())) {
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
        values.putData(inputName, (int) inputDims[1]);
    }

    // ---- one node ----

    private void convert(NodeProto n) {
        if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
            throw Refusal.node(n, "domain '" + Refusal.clip(n.getDomain()) + "' is not supported (only the default "
                    + "ONNX domain)");
        }
        String op = n.getOpType();
        if (op.equals("Shape") && n.getInputCount() == 1 && values.isDynamic(n.getInput(0))) {
            values.putConstant(values.singleOutput(n), shapeOfDynamic(n));
            return;
        }
        if (ConstantFolder.OPS.contains(op) && values.allInputsConstant(n)) {
            List<ConstTensor> in = values.constInputs(n);
            ConstTensor value = ConstantFolder.fold(n, in);
            folded += ConstantFolder.isView(value, in) ? 0 : value.size();
            if (folded > ConstTensor.MAX_FOLDED_TOTAL) {
                throw Refusal.node(n, "the constants computed at load time exceed " + ConstTensor.MAX_FOLDED_TOTAL
                        + " elements in all");
            }
            values.putConstant(values.singleOutput(n), value);
            return;
        }
        NetNode node = mapper.map(n);
        if (node != null) {
            add(n, node);
        }
    }

    private void add(NodeProto n, NetNode node) {
        int[] in = new int[node.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = values.channels(node.inputs().get(i));
        }
        try {
            values.putData(node.output(), node.outputChannels(in));
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
        builder.add(node);
    }

    /**
     * {@code Shape} of the network's data: C is known, N where the model fixes it (else {@code N}), W for the input
     * where the model fixes it (else the tensor's width {@code W(x)}, resolved per (N, W)).
     */
    private ConstTensor shapeOfDynamic(NodeProto n) {
        String x = values.resolve(n.getInput(0));
        boolean isInput = x.equals(inputName);
        boolean widthKnown = isInput && !inputSymbolic[2];
        long[] dims = {inputSymbolic[0] ? 0 : inputDims[0], values.channels(x), widthKnown ? inputDims[2] : 0};
        WidthExpr[] symbolic = {inputSymbolic[0] ? WidthExpr.batch() : null, null,
                widthKnown ? null : WidthExpr.widthOf(x)};
        return ConstantFolder.shape(n, dims, symbolic);
    }
}
