package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.bench.OnnxProtos;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.ModelProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;
import org.conv1d4j.spec.Quantization;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A float ONNX model rewritten into ONNX's QDQ format, as ONNX Runtime's {@code quantize_static} writes it (QDQ,
 * per-channel, u8 activations, s8 weights) for its {@code Conv}s, with conv1d4j's own quantization of every tensor,
 * so that ONNX Runtime's QDQ transformer fuses each conv into a {@code QLinearConv} multiplying the same integers
 * conv1d4j's int8 network multiplies (a {@code QLinearConv} also requantizes its output to u8, where conv1d4j keeps a
 * conv's output in float32: that is the one difference in what the two compute). The rewrite, in order:
 * <ol>
 *   <li>a {@code Pad} of zeros along W whose only reader is a {@code Conv} becomes part of the conv's {@code pads}
 *       (ONNX Runtime's own {@code PadFusion} does this to the float model; a Q/DQ pair in between would stop it);</li>
 *   <li>a {@code BatchNormalization} that is the only reader of a conv's output is folded into the conv's weights
 *       and bias, in double and rounded once as conv1d4j folds it ({@code quantize_static}'s pre-processing folds it
 *       the same way before quantizing); the conv then writes the BatchNorm's output tensor;</li>
 *   <li>a {@code Relu} that is the only reader of a conv's output is removed, the conv's output quantized with the
 *       Relu output's quantization (zero point 0, so the u8 clamp is the Relu), as {@code quantize_static} removes
 *       a Relu after a quantized conv;</li>
 *   <li>every tensor a conv reads or writes goes through {@code QuantizeLinear -> DequantizeLinear} (u8, per
 *       tensor, that tensor's {@link Quantization}); the producer writes {@code T_float}, the pair writes {@code T},
 *       so every reader of {@code T} reads the dequantized values;</li>
 *   <li>each conv's weights become an int8 initializer {@code rint(w / s_o)}, {@code s_o = max|w_o| / L} ({@code L}
 *       127, or 63 where conv1d4j uses 63), with a per-channel {@code DequantizeLinear} (axis 0; 1 for a
 *       {@code ConvTranspose}), and its bias an int32 initializer {@code rint(b / (s_x s_o))} with a
 *       {@code DequantizeLinear} of scale {@code s_x s_o} (float32 product) and zero point 0.</li>
 * </ol>
 * Only convs are quantized (conv1d4j's int8 network quantizes only its convs); every other node ({@code Add},
 * GELU's nodes, {@code PRelu}, {@code Sigmoid}, a BatchNorm not after a conv, pooling, {@code Concat}) stays float32
 * between a {@code DequantizeLinear} and a {@code QuantizeLinear}. A {@code ConvTranspose} (group 1) is quantized as a
 * {@code Conv} is, its weights {@code (C_in, C_out, K)} per output channel along axis 1; a grouped one is refused.
 */
public final class QdqModel {
    private final byte[] bytes;
    private final String summary;

    private QdqModel(byte[] bytes, String summary) {
        this.bytes = bytes;
        this.summary = summary;
    }

    /** @return the QDQ model's bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return what the rewrite did: convs quantized, pads, BatchNorms and Relus folded, tensors quantized */
    public String summary() {
        return summary;
    }

    /**
     * @param onnx a float model's bytes (float initializers, convs with initializer weights)
     * @param quantization every tensor's quantization by name, as {@code Conv1dNet.quantization()} gives it: the
     *     input and output of every conv (after the folds above) at least
     * @param weightLevels {@code L}, the largest weight level: 127, or 63 as conv1d4j uses without VNNI
     * @return the QDQ copy
     * @throws IllegalArgumentException when an argument is null or malformed, a conv's tensor has no quantization, a
     *     conv's weights are not a 3-D initializer, or the model has a grouped {@code ConvTranspose}
     */
    public static QdqModel of(byte[] onnx, Map<String, Quantization> quantization, int weightLevels) {
        if (onnx == null) {
            throw new IllegalArgumentException("onnx: must not be null");
        }
        if (quantization == null) {
            throw new IllegalArgumentException("quantization: must not be null");
        }
        if (weightLevels < 1 || weightLevels > 127) {
            throw new IllegalArgumentException("weightLevels: must be 1..127, got " + weightLevels);
        }
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("onnx: not an ONNX model: " + e.getMessage(), e);
        }
        return new Rewrite(model, quantization, weightLevels).run();
    }

    /** One rewrite: the graph's nodes and initializers as they change. */
    private static final class Rewrite {
        private final ModelProto model;
        private final Map<String, Quantization> quantization;
        private final int weightLevels;
        private final List<NodeProto> nodes;
        private final Map<String, TensorProto> initializers = new HashMap<>();
        private final Set<String> graphOutputs = new HashSet<>();
        /** The folded float weights and biases of convs, by conv name (replacing their initializers). */
        private final Map<String, float[]> weights = new HashMap<>();
        private final Map<String, float[]> biases = new HashMap<>();
        private final List<TensorProto> added = new ArrayList<>();
        /** The {@code DequantizeLinear}s of the weights and biases, which read only initializers: first in the graph. */
        private final List<NodeProto> parameterNodes = new ArrayList<>();
        private int padsFolded;
        private int batchNorms;
        private int relus;

        Rewrite(ModelProto model, Map<String, Quantization> quantization, int weightLevels) {
            this.model = model;
            this.quantization = quantization;
            this.weightLevels = weightLevels;
            GraphProto g = model.getGraph();
            this.nodes = new ArrayList<>(g.getNodeList());
            for (TensorProto t : g.getInitializerList()) {
                initializers.put(t.getName(), t);
            }
            for (ValueInfoProto o : g.getOutputList()) {
                graphOutputs.add(o.getName());
            }
        }

        QdqModel run() {
            for (NodeProto n : nodes) {
                AttributeProto group = attribute(n, "group");
                if (n.getOpType().equals("ConvTranspose") && group != null && group.getI() != 1) {
                    throw new IllegalArgumentException("onnx: node '" + n.getName() + "' is a grouped ConvTranspose, "
                            + "whose per-output-channel weight scales DequantizeLinear cannot express (axis 1 holds "
                            + "C_out / G)");
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).getOpType().equals("Conv") && foldPad(i)) {
                    i--; // the Pad before it is gone
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (isConv(nodes.get(i))) {
                    foldBatchNorm(i);
                    absorbRelu(i);
                }
            }
            Set<String> quantized = new LinkedHashSet<>();
            int convs = 0;
            for (NodeProto n : nodes) {
                if (isConv(n)) {
                    quantized.add(n.getInput(0));
                    quantized.add(n.getOutput(0));
                    convs++;
                }
            }
            for (String t : quantized) {
                if (!quantization.containsKey(t)) {
                    throw new IllegalArgumentException("quantization: no quantization for tensor '" + t + "', a "
                            + "conv's input or output");
                }
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (isConv(nodes.get(i))) {
                    nodes.set(i, quantizeParameters(nodes.get(i)));
                }
            }
            List<NodeProto> out = new ArrayList<>(parameterNodes);
            Set<String> produced = new HashSet<>();
            for (NodeProto n : nodes) {
                produced.addAll(n.getOutputList());
            }
            for (String t : quantized) {
                if (!produced.contains(t)) { // a graph input: the pair first
                    out.addAll(qdq(t, t, t + "_dequantized"));
                }
            }
            Map<String, String> inputRenames = new HashMap<>();
            for (String t : quantized) {
                if (!produced.contains(t)) {
                    inputRenames.put(t, t + "_dequantized");
                }
            }
            for (NodeProto n : nodes) {
                NodeProto.Builder b = n.toBuilder();
                for (int k = 0; k < b.getInputCount(); k++) {
                    String r = inputRenames.get(b.getInput(k));
                    if (r != null) {
                        b.setInput(k, r);
                    }
                }
                List<NodeProto> after = new ArrayList<>();
                for (int k = 0; k < b.getOutputCount(); k++) {
                    String t = b.getOutput(k);
                    if (quantized.contains(t)) {
                        b.setOutput(k, t + "_float");
                        after.addAll(qdq(t, t + "_float", t));
                    }
                }
                out.add(b.build());
                out.addAll(after);
            }
            GraphProto.Builder g = model.getGraph().toBuilder().clearNode().addAllNode(out).clearInitializer();
            Set<String> read = new HashSet<>();
            for (NodeProto n : out) {
                read.addAll(n.getInputList());
            }
            for (TensorProto t : model.getGraph().getInitializerList()) {
                if (read.contains(t.getName())) {
                    g.addInitializer(t);
                }
            }
            g.addAllInitializer(added);
            byte[] bytes = model.toBuilder().setGraph(g).build().toByteArray();
            String summary = String.format(Locale.ROOT, "%d convs quantized (u8 activations per tensor, s8 weights per "
                    + "channel, L %d, int32 biases), %d tensors through Q/DQ; folded %d Pads and %d BatchNorms into "
                    + "convs, removed %d Relus after convs", convs, weightLevels, quantized.size(), padsFolded, batchNorms,
                    relus);
            return new QdqModel(bytes, summary);
        }

        /**
         * A zero {@code Pad} along W whose only reader is the conv at {@code i} becomes the conv's padding.
         *
         * @return whether it did (the conv is then at {@code i - 1})
         */
        private boolean foldPad(int i) {
            NodeProto conv = nodes.get(i);
            int p = producer(conv.getInput(0));
            if (p < 0 || !nodes.get(p).getOpType().equals("Pad") || readers(conv.getInput(0)) != 1
                    || attribute(conv, "auto_pad") != null) {
                return false;
            }
            NodeProto pad = nodes.get(p);
            AttributeProto mode = attribute(pad, "mode");
            if (mode != null && !mode.getS().toStringUtf8().equals("constant")) {
                return false;
            }
            if (pad.getInputCount() > 2 && !pad.getInput(2).isEmpty()) {
                float[] value = floats(pad.getInput(2));
                if (value == null || value.length != 1 || value[0] != 0) {
                    return false;
                }
            }
            if (pad.getInputCount() > 3 && !pad.getInput(3).isEmpty()) {
                return false; // axes: not written by the exporters of these models
            }
            long[] amounts = longs(pad.getInput(1));
            if (amounts == null || amounts.length != 6 || amounts[0] != 0 || amounts[1] != 0 || amounts[3] != 0
                    || amounts[4] != 0 || amounts[2] < 0 || amounts[5] < 0) {
                return false;
            }
            AttributeProto convPads = attribute(conv, "pads");
            long left = convPads == null ? 0 : convPads.getInts(0);
            long right = convPads == null ? 0 : convPads.getInts(1);
            nodes.set(i, withAttribute(conv.toBuilder().setInput(0, pad.getInput(0)),
                    OnnxProtos.ints("pads", left + amounts[2], right + amounts[5])).build());
            nodes.remove(p);
            padsFolded++;
            return true;
        }

        /** A BatchNorm that is the only reader of the conv at {@code i} is folded into it. */
        private void foldBatchNorm(int i) {
            NodeProto conv = nodes.get(i);
            String y = conv.getOutput(0);
            int r = soleReader(y);
            if (r < 0 || !nodes.get(r).getOpType().equals("BatchNormalization")) {
                return;
            }
            NodeProto bn = nodes.get(r);
            float[] scale = requireFloats(bn.getInput(1), bn);
            float[] shift = requireFloats(bn.getInput(2), bn);
            float[] mean = requireFloats(bn.getInput(3), bn);
            float[] var = requireFloats(bn.getInput(4), bn);
            AttributeProto eps = attribute(bn, "epsilon");
            double epsilon = eps == null ? 1e-5f : eps.getF();
            float[] w = convWeights(conv);
            float[] b = convBias(conv);
            int cout = scale.length;
            int[] channel = outputChannels(conv);
            double[] a = new double[cout];
            float[] fb = new float[cout];
            for (int o = 0; o < cout; o++) {
                a[o] = scale[o] / Math.sqrt(var[o] + epsilon);
                double b0 = b == null ? 0 : b[o];
                fb[o] = (float) (a[o] * (b0 - mean[o]) + shift[o]);
            }
            float[] fw = new float[w.length];
            for (int j = 0; j < w.length; j++) {
                fw[j] = (float) (a[channel[j]] * w[j]);
            }
            weights.put(conv.getName(), fw);
            biases.put(conv.getName(), fb);
            nodes.set(i, conv.toBuilder().setOutput(0, bn.getOutput(0)).build());
            nodes.remove(r);
            batchNorms++;
        }

        /** A Relu that is the only reader of the conv at {@code i} is removed: the u8 clamp at zero point 0 is it. */
        private void absorbRelu(int i) {
            NodeProto conv = nodes.get(i);
            int r = soleReader(conv.getOutput(0));
            if (r < 0 || !nodes.get(r).getOpType().equals("Relu")) {
                return;
            }
            NodeProto relu = nodes.get(r);
            Quantization q = quantization.get(relu.getOutput(0));
            if (q == null || q.zeroPoint() != 0) {
                return;
            }
            nodes.set(i, conv.toBuilder().setOutput(0, relu.getOutput(0)).build());
            nodes.remove(r);
            relus++;
        }

        /** The conv with its weights and bias replaced by integers and their {@code DequantizeLinear}s. */
        private NodeProto quantizeParameters(NodeProto conv) {
            float[] w = convWeights(conv);
            float[] b = convBias(conv);
            TensorProto wt = initializers.get(conv.getInput(1));
            boolean transposed = conv.getOpType().equals("ConvTranspose");
            int cout = (int) wt.getDims(transposed ? 1 : 0);
            int[] channel = outputChannels(conv);
            float sx = quantization.get(conv.getInput(0)).scale();
            float[] max = new float[cout];
            for (int j = 0; j < w.length; j++) {
                max[channel[j]] = Math.max(max[channel[j]], Math.abs(w[j]));
            }
            float[] scales = new float[cout];
            for (int o = 0; o < cout; o++) {
                float s = max[o] / weightLevels;
                scales[o] = s >= Float.MIN_NORMAL ? s : 1f;
            }
            byte[] levels = new byte[w.length];
            for (int j = 0; j < w.length; j++) {
                double q = Math.rint(w[j] / (double) scales[channel[j]]);
                levels[j] = (byte) Math.max(-weightLevels, Math.min(weightLevels, q));
            }
            String name = conv.getName();
            String wq = name + ".weight_quantized";
            added.add(bytesTensor(wq, TensorProto.DataType.INT8_VALUE, levels, wt.getDimsList()));
            added.add(OnnxProtos.floats(name + ".weight_scale", scales, cout));
            added.add(bytesTensor(name + ".weight_zero_point", TensorProto.DataType.INT8_VALUE, new byte[cout],
                    List.of((long) cout)));
            parameterNodes.add(dequantize(wq, name + ".weight_scale", name + ".weight_zero_point",
                    name + ".weight_dequantized", transposed ? 1 : 0));
            NodeProto.Builder c = conv.toBuilder().setInput(1, name + ".weight_dequantized");
            if (b != null) {
                float[] bs = new float[cout];
                ByteBuffer bq = ByteBuffer.allocate(cout * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                for (int o = 0; o < cout; o++) {
                    bs[o] = sx * scales[o];
                    double q = Math.rint(b[o] / (double) bs[o]);
                    bq.putInt((int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, q)));
                }
                String bqName = name + ".bias_quantized";
                added.add(bytesTensor(bqName, TensorProto.DataType.INT32_VALUE, bq.array(), List.of((long) cout)));
                added.add(OnnxProtos.floats(name + ".bias_scale", bs, cout));
                added.add(bytesTensor(name + ".bias_zero_point", TensorProto.DataType.INT32_VALUE,
                        new byte[cout * Integer.BYTES], List.of((long) cout)));
                parameterNodes.add(dequantize(bqName, name + ".bias_scale", name + ".bias_zero_point",
                        name + ".bias_dequantized", 0));
                if (c.getInputCount() > 2) {
                    c.setInput(2, name + ".bias_dequantized");
                } else {
                    c.addInput(name + ".bias_dequantized");
                }
            }
            return c.build();
        }

        /** {@code QuantizeLinear(from) -> DequantizeLinear -> to}, with tensor {@code t}'s quantization. */
        private List<NodeProto> qdq(String t, String from, String to) {
            Quantization q = quantization.get(t);
            String scale = t + "_scale";
            String zero = t + "_zero_point";
            added.add(OnnxProtos.floats(scale, new float[] {q.scale()}));
            added.add(bytesTensor(zero, TensorProto.DataType.UINT8_VALUE, new byte[] {(byte) q.zeroPoint()},
                    List.of()));
            NodeProto quantize = NodeProto.newBuilder().setOpType("QuantizeLinear").setName(t + "_QuantizeLinear")
                    .addInput(from).addInput(scale).addInput(zero).addOutput(t + "_quantized").build();
            return List.of(quantize, dequantize(t + "_quantized", scale, zero, to, -1));
        }

        /** A {@code DequantizeLinear}, per tensor ({@code axis} -1) or per channel along {@code axis}. */
        private static NodeProto dequantize(String x, String scale, String zero, String y, int axis) {
            NodeProto.Builder n = NodeProto.newBuilder().setOpType("DequantizeLinear").setName(y + "_DequantizeLinear")
                    .addInput(x).addInput(scale).addInput(zero).addOutput(y);
            if (axis >= 0) {
                n.addAttribute(OnnxProtos.integer("axis", axis));
            }
            return n.build();
        }

        private static boolean isConv(NodeProto n) {
            return n.getOpType().equals("Conv") || n.getOpType().equals("ConvTranspose");
        }

        /**
         * The output channel of every weight of a conv: {@code Conv} weights are {@code (C_out, C_in/G, K)},
         * {@code ConvTranspose} weights (group 1) {@code (C_in, C_out, K)}.
         */
        private int[] outputChannels(NodeProto conv) {
            TensorProto wt = initializers.get(conv.getInput(1));
            if (wt == null || wt.getDimsCount() != 3) {
                throw new IllegalArgumentException("onnx: the weights of node '" + conv.getName() + "' are not a 3-D "
                        + "initializer");
            }
            long perOut = wt.getDims(1) * wt.getDims(2);
            long k = wt.getDims(2);
            long cout = wt.getDims(1);
            boolean transposed = conv.getOpType().equals("ConvTranspose");
            int[] channel = new int[Math.toIntExact(wt.getDims(0) * perOut)];
            for (int j = 0; j < channel.length; j++) {
                channel[j] = (int) (transposed ? (j / k) % cout : j / perOut);
            }
            return channel;
        }

        private float[] convWeights(NodeProto conv) {
            float[] w = weights.get(conv.getName());
            return w != null ? w : requireFloats(conv.getInput(1), conv);
        }

        private float[] convBias(NodeProto conv) {
            float[] b = biases.get(conv.getName());
            if (b != null) {
                return b;
            }
            return conv.getInputCount() > 2 && !conv.getInput(2).isEmpty() ? requireFloats(conv.getInput(2), conv)
                    : null;
        }

        private int producer(String tensor) {
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).getOutputList().contains(tensor)) {
                    return i;
                }
            }
            return -1;
        }

        private int readers(String tensor) {
            int n = graphOutputs.contains(tensor) ? 1 : 0;
            for (NodeProto node : nodes) {
                for (String in : node.getInputList()) {
                    if (in.equals(tensor)) {
                        n++;
                    }
                }
            }
            return n;
        }

        /** The index of the only node reading {@code tensor}, or -1 (none, several, or a graph output). */
        private int soleReader(String tensor) {
            if (readers(tensor) != 1) {
                return -1;
            }
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).getInputList().contains(tensor)) {
                    return i;
                }
            }
            return -1;
        }

        private float[] floats(String name) {
            TensorProto t = initializers.get(name);
            if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
                return null;
            }
            if (!t.getRawData().isEmpty()) {
                float[] v = new float[t.getRawData().size() / Float.BYTES];
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                return v;
            }
            float[] v = new float[t.getFloatDataCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getFloatData(i);
            }
            return v;
        }

        private float[] requireFloats(String name, NodeProto node) {
            float[] v = floats(name);
            if (v == null) {
                throw new IllegalArgumentException("onnx: input '" + name + "' of node '" + node.getName() + "' ("
                        + node.getOpType() + ") is not a float initializer");
            }
            return v;
        }

        private long[] longs(String name) {
            TensorProto t = initializers.get(name);
            if (t == null || t.getDataType() != TensorProto.DataType.INT64_VALUE) {
                return null;
            }
            if (!t.getRawData().isEmpty()) {
                long[] v = new long[t.getRawData().size() / Long.BYTES];
                t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(v);
                return v;
            }
            long[] v = new long[t.getInt64DataCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = t.getInt64Data(i);
            }
            return v;
        }

        private static AttributeProto attribute(NodeProto n, String name) {
            for (AttributeProto a : n.getAttributeList()) {
                if (a.getName().equals(name)) {
                    return a;
                }
            }
            return null;
        }

        private static NodeProto.Builder withAttribute(NodeProto.Builder n, AttributeProto a) {
            for (int k = 0; k < n.getAttributeCount(); k++) {
                if (n.getAttribute(k).getName().equals(a.getName())) {
                    return n.setAttribute(k, a);
                }
            }
            return n.addAttribute(a);
        }

        private static TensorProto bytesTensor(String name, int type, byte[] raw, List<Long> dims) {
            return TensorProto.newBuilder().setName(name).setDataType(type).addAllDims(dims)
                    .setRawData(ByteString.copyFrom(raw)).build();
        }
    }

    /**
     * @param onnx a model's bytes
     * @return how many nodes of each op type it has, in the order they first appear ({@code domain:op} outside the
     *     default domain)
     */
    public static Map<String, Integer> opCounts(byte[] onnx) {
        GraphProto g;
        try {
            g = ModelProto.parseFrom(onnx).getGraph();
        } catch (InvalidProtocolBufferException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Integer> counts = new java.util.LinkedHashMap<>();
        for (NodeProto n : g.getNodeList()) {
            String op = n.getDomain().isEmpty() ? n.getOpType() : n.getDomain() + ":" + n.getOpType();
            counts.merge(op, 1, Integer::sum);
        }
        return counts;
    }
}
