package org.conv1d4j.internal.net;

import org.conv1d4j.internal.lowering.WeightIndex;
import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Quantization;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A bound on how far an engine's network output can be from the exact result, per output channel, derived from
 * float32 arithmetic along the graph (a worst case: every rounding error aligned, every weight's sign against us).
 *
 * <p>Errors are carried per channel, as bounds {@code E[c]} on the absolute error of every element of channel
 * {@code c}, from {@code E = 0} at the (exact) input, in topological order. A conv maps them as its weights'
 * magnitudes do, {@code E_out[o] = sum_{i,k} |w[o,i,k]| E_in[i]}; BatchNorm multiplies channel {@code c} by
 * {@code |scale[c]| / sqrt(var[c] + eps)}; an activation by its largest slope (GELU 1.13, SiLU 1.1, sigmoid 1/4, ...);
 * PRelu by {@code max(1, |slope|)}; Add adds its inputs' bounds; Concat stacks them; Pad, Slice and the pools keep
 * them. Each node then adds what it does itself: rounding its output to float32, {@code u max|out[c]|} with
 * {@code u = 2^-24}, for both engines (the reference accumulates in double, whose own error is negligible). The oneDNN
 * chain also sums in float32: a conv output of {@code m = C_in/G * K} products plus the bias plus the rounding of
 * weights BatchNorm was folded into carries at most {@code gamma_(m+2) (sum |w| max|x| + |b|)},
 * {@code gamma_n = n u / (1 - n u)} (Higham, 3.1, for any summation order), an average pool of {@code K} inputs
 * {@code gamma_K max|x|}; and its vectorised exp, erf and tanh (ELU, sigmoid, tanh, GELU, SiLU) are approximations
 * that add at most {@code 64 u max(1, max|out|)} (oneDNN's own tests allow 4e-6, about 67 u, for f32 eltwise). The
 * magnitudes {@code max|x|} come from the reference's own run, so the bound grows with depth as the product of the
 * downstream gains times each node's magnitudes.
 *
 * <p>In bfloat16 (unit roundoff {@code v = 2^-8}) the chain keeps every tensor between primitives in bf16: the
 * caller's input is rounded ({@code v max|x|}), each node's output is rounded with {@code v} in place of {@code u},
 * and each conv's weights are rounded too, {@code v sum |w| max|x|} more; the sums stay float32.
 *
 * <p>In int8 ({@link #int8Bound}) the chain is compared with the int8 oracle ({@link Int8ReferenceNet}), which
 * computes the same integers, so the bound walks the fused layers and counts only where the two can part: the float32
 * epilogue of each conv ({@code acc s_x s_w + b} in another order, then its post-ops: {@code 8u} of the layer's
 * magnitude, which {@link org.conv1d4j.CrossCheck} derives for one op, and the approximated functions' error), the
 * rounding of every output on both sides, and then the quantization of the next conv's input. There an error is
 * absorbed: inputs within {@code e} of the oracle's land on the same level unless the oracle's value lies within
 * {@code e} of a rounding boundary {@code k + 1/2}, and equal levels give equal integer sums. So a conv sees, per
 * input channel, no error at all when none of the channel's values (taken from the oracle's run) is that close to
 * a boundary, and otherwise {@code floor(e / s_T) + 1} steps of {@code s_T} per element, mapped through
 * {@code sum |w|}; a conv reading the caller's input (identical on both sides) sees none. Where the chain matches
 * the oracle to the last bit, as on the shared cases, the bound stays at the epilogues' rounding; where an
 * approximated GELU or a float32 conv leaves ulps everywhere, near-boundary values are everywhere too, and the bound
 * grows by a step per layer: a worst case that compounds with depth.
 */
public final class ErrorPropagation {
    /** float32 unit roundoff. */
    public static final double U = 0x1p-24;
    /** bfloat16 unit roundoff. */
    public static final double V = 0x1p-8;
    private static final double APPROXIMATION_ULPS = 64;

    private ErrorPropagation() {
    }

    /**
     * The bound per output channel.
     *
     * @param graph the network
     * @param input the input in NCW order, {@code batch * C * width} floats
     * @param batch {@code N}
     * @param width {@code W}
     * @param floatSums {@code true} for the oneDNN chain, {@code false} for the reference
     * @param bf16 whether the chain keeps its tensors and weights in bfloat16 (with {@code floatSums})
     * @return for each output channel, the bound on the absolute error of its elements
     */
    public static double[] outputBound(NetGraph graph, float[] input, int batch, int width, boolean floatSums,
                                       boolean bf16) {
        return bound(graph.resolve(batch, width), trace(graph, input, batch, width), floatSums, bf16);
    }

    /**
     * The reference's output and both engines' bounds, from one run of the reference.
     *
     * @param output the reference's output, NCW
     * @param reference the reference's bound per output channel
     * @param chain the oneDNN chain's bound per output channel
     */
    // the arrays are results handed to the caller, never compared by content
    @SuppressWarnings("ArrayRecordComponent")
    public record Analysis(float[] output, double[] reference, double[] chain) {
    }

    /**
     * Runs the reference once and bounds both engines' outputs on it.
     *
     * @param graph the network
     * @param input the input in NCW order, {@code batch * C * width} floats
     * @param batch {@code N}
     * @param width {@code W}
     * @param bf16 whether the chain keeps its tensors and weights in bfloat16
     * @return the reference's output and the bounds
     */
    public static Analysis analyse(NetGraph graph, float[] input, int batch, int width, boolean bf16) {
        Map<String, Tensor> trace = trace(graph, input, batch, width);
        NetGraph resolved = graph.resolve(batch, width);
        return new Analysis(trace.get(graph.outputName()).data(), bound(resolved, trace, false, false),
                bound(resolved, trace, true, bf16));
    }

    private static Map<String, Tensor> trace(NetGraph graph, float[] input, int batch, int width) {
        try (ReferenceNet ref = new ReferenceNet(graph)) {
            return ref.trace(input, batch, width);
        }
    }

    private static double[] bound(NetGraph graph, Map<String, Tensor> trace, boolean floatSums, boolean bf16) {
        double store = bf16 ? V : U;
        Map<String, double[]> error = new HashMap<>();
        Map<String, double[]> reach = new HashMap<>();
        for (Map.Entry<String, Tensor> t : trace.entrySet()) {
            reach.put(t.getKey(), channelMaxAbs(t.getValue()));
        }
        double[] inputError = reach.get(graph.inputName()).clone();
        for (int c = 0; c < inputError.length; c++) {
            inputError[c] *= bf16 ? V : 0;
        }
        error.put(graph.inputName(), inputError);
        for (NetNode n : graph.nodes()) {
            double[] e = propagate(n, error);
            double[] m = reach.get(n.output());
            Tensor in = trace.get(n.inputs().get(0));
            double[] sums = floatSums ? floatSumError(n, reach.get(n.inputs().get(0)), in.width(), e.length, bf16)
                    : new double[e.length];
            for (int c = 0; c < e.length; c++) {
                e[c] += store * m[c] + sums[c] + (floatSums ? approximation(n, m[c]) : 0);
            }
            error.put(n.output(), e);
        }
        return error.get(graph.outputName());
    }

    /**
     * The bound per output channel of the int8 chain against the int8 oracle (see the class comment).
     *
     * @param graph the network
     * @param oracle the int8 oracle of the network
     * @param input the input in NCW order
     * @param batch {@code N}
     * @param width {@code W}
     * @return the oracle's output (NCW) and, as both bounds, the chain's bound per output channel
     */
    public static Analysis int8Bound(NetGraph graph, Int8ReferenceNet oracle, float[] input, int batch,
                                     int width) {
        Map<String, Tensor> trace = oracle.trace(input, batch, width);
        Map<String, double[]> error = new HashMap<>();
        error.put(graph.inputName(), new double[graph.inputChannels()]);
        for (Layer layer : oracle.layers(batch, width)) {
            double[] m = channelMaxAbs(trace.get(layer.output()));
            double[] e;
            if (layer instanceof Layer.Conv c) {
                Quantization q = oracle.setup().of(c.conv().name(), c.conv().input());
                Tensor in = trace.get(c.conv().input());
                e = q != null ? int8ConvError(c, error, in, q, m)
                        : floatConvError(c, error, in, m);
            } else {
                NetNode n = ((Layer.Single) layer).node();
                e = propagate(n, error);
                double[] sums = floatSumError(n, channelMaxAbs(trace.get(n.inputs().get(0))),
                        trace.get(n.inputs().get(0)).width(), e.length, false);
                for (int ch = 0; ch < e.length; ch++) {
                    e[ch] += 2 * (U * m[ch] + sums[ch] + approximation(n, m[ch]));
                }
            }
            error.put(layer.output(), e);
        }
        double[] out = error.get(graph.outputName());
        return new Analysis(trace.get(graph.outputName()).data(), out, out);
    }

    /**
     * A layer's output in the int8 oracle and in the float32 reference.
     *
     * @param tensor the layer's output tensor
     * @param nodes the nodes it computes
     * @param int8 the oracle's values, NCW
     * @param f32 the reference's values, NCW
     */
    // the arrays are results handed to the caller, never compared by content
    @SuppressWarnings("ArrayRecordComponent")
    public record LayerValues(String tensor, List<String> nodes, float[] int8, float[] f32) {
    }

    /**
     * Every fused layer's output in the int8 oracle and the float32 reference, on one input.
     *
     * @param graph the network
     * @param oracle its int8 oracle
     * @param input NCW
     * @param batch {@code N}
     * @param width {@code W}
     * @return in the layers' order
     */
    public static List<LayerValues> layerErrors(NetGraph graph, Int8ReferenceNet oracle, float[] input, int batch,
                                                int width) {
        Map<String, Tensor> q = oracle.trace(input, batch, width);
        Map<String, Tensor> f = trace(graph, input, batch, width);
        List<LayerValues> out = new java.util.ArrayList<>();
        for (Layer layer : oracle.layers(batch, width)) {
            out.add(new LayerValues(layer.output(), layer.nodes(), q.get(layer.output()).data(),
                    f.get(layer.output()).data()));
        }
        return out;
    }

    /**
     * @param x the conv's input tensor in the oracle
     * @param q how the conv quantizes it, or {@code null} for a float32 conv (which sees its input's error as it is)
     */
    private static double[] int8ConvError(Layer.Conv layer, Map<String, double[]> error, Tensor x, Quantization q,
                                          double[] maxOut) {
        ConvNode conv = layer.conv();
        double[] in = error.get(conv.input());
        double[] seen = new double[in.length];
        for (int i = 0; i < in.length; i++) {
            seen[i] = q == null ? in[i] : levelsMoved(x, i, in[i], q) * q.scale();
        }
        double[] e = convGain(conv, seen);
        double gain = postOpGain(layer);
        boolean approximated = conv.spec().activation() != org.conv1d4j.spec.Activation.NONE
                && approximation(conv, 1) > 0;
        for (PostOp op : layer.postOps()) {
            if (op instanceof PostOp.Eltwise el) {
                approximated |= approximation(new PointwiseNode("p", "x", "y", el.function(), el.alpha(), el.beta()),
                        1) > 0;
            }
        }
        float[] b = conv.bias();
        for (int o = 0; o < e.length; o++) {
            double bias = b == null ? 0 : Math.abs(b[o]);
            e[o] = e[o] * gain + gain * 8 * U * (maxOut[o] + bias + 1) + 2 * U * maxOut[o]
                    + (approximated ? 2 * APPROXIMATION_ULPS * U * Math.max(1, maxOut[o]) : 0);
        }
        for (PostOp op : layer.postOps()) {
            if (op instanceof PostOp.Residual r) {
                double[] other = error.get(r.other());
                for (int o = 0; o < e.length; o++) {
                    e[o] += other[o];
                }
            }
        }
        return e;
    }

    /**
     * How many levels the quantization of channel {@code c} of {@code x} can move when every value may be off by up to
     * {@code e}: none unless some value lies within {@code e} (plus the rounding of {@code x / s + z} itself, a few
     * ulps) of a rounding boundary {@code k + 1/2}; then {@code floor(e / s) + 1}. Equal levels give equal integer sums,
     * so an error that moves no level stops at the quantization.
     */
    private static double levelsMoved(Tensor x, int c, double e, Quantization q) {
        if (e == 0) {
            return 0;
        }
        double reach = e / q.scale() * (1 + 1e-6);
        for (int n = 0; n < x.batch(); n++) {
            for (int t = 0; t < x.width(); t++) {
                float v = x.data()[x.at(n, c, t)] * (1f / q.scale()) + q.zeroPoint();
                double toBoundary = Math.abs(v - (Math.floor(v) + 0.5));
                if (toBoundary <= reach + 4 * Math.ulp(v)) {
                    return Math.floor(e / q.scale()) + 1;
                }
            }
        }
        return 0;
    }

    /**
     * A conv that stays float32 in an int8 network: the error it receives through its gain (no quantization step),
     * and its own float32 sum and rounding against the oracle's double sum, as for a float32 chain, with the post-ops'
     * gains and approximations as {@link #int8ConvError} counts them.
     */
    private static double[] floatConvError(Layer.Conv layer, Map<String, double[]> error, Tensor x, double[] maxOut) {
        ConvNode conv = layer.conv();
        double[] e = int8ConvError(layer, error, x, null, maxOut);
        double[] sums = floatSumError(conv, channelMaxAbs(x), x.width(), e.length, false);
        for (int o = 0; o < e.length; o++) {
            e[o] += sums[o] * postOpGain(layer);
        }
        return e;
    }

    /** The largest slope of the conv's own activation and its post-ops, which a change of its sum is scaled by. */
    private static double postOpGain(Layer.Conv layer) {
        double gain = layer.conv().spec().activation().lipschitz(layer.conv().spec().alpha());
        for (PostOp op : layer.postOps()) {
            if (op instanceof PostOp.Eltwise el) {
                gain *= eltwiseGain(el.function(), el.alpha(), el.beta());
            } else if (op instanceof PostOp.Prelu p) {
                double g = 1;
                for (float sl : p.slope()) {
                    g = Math.max(g, Math.abs(sl));
                }
                gain *= g;
            }
        }
        return gain;
    }

    private static double eltwiseGain(org.conv1d4j.net.Pointwise f, double alpha, double beta) {
        return channelGain(new PointwiseNode("p", "x", "y", f, alpha, beta), 0);
    }

    private static double[] channelMaxAbs(Tensor t) {
        double[] m = new double[t.channels()];
        float[] y = t.data();
        for (int i = 0; i < y.length; i++) {
            int c = (i / t.width()) % t.channels();
            m[c] = Math.max(m[c], Math.abs(y[i]));
        }
        return m;
    }

    private static double[] propagate(NetNode n, Map<String, double[]> error) {
        double[] in = error.get(n.inputs().get(0));
        if (n instanceof ConvNode c) { // a conv of a Java-built graph may carry its own activation
            double[] e = convGain(c, in);
            double lipschitz = c.spec().activation().lipschitz(c.spec().alpha());
            for (int o = 0; o < e.length; o++) {
                e[o] *= lipschitz;
            }
            return e;
        }
        if (n instanceof AddNode) {
            double[] b = error.get(n.inputs().get(1));
            double[] e = new double[in.length];
            for (int c = 0; c < e.length; c++) {
                e[c] = in[c] + b[c];
            }
            return e;
        }
        if (n instanceof ConcatNode) {
            return n.inputs().stream().flatMapToDouble(s -> java.util.Arrays.stream(error.get(s))).toArray();
        }
        double[] e = in.clone();
        for (int c = 0; c < e.length; c++) {
            e[c] *= channelGain(n, c);
        }
        return e;
    }

    /** {@code sum_{i,k} |w[o,i,k]| v[i]} for every output channel {@code o}. */
    private static double[] convGain(ConvNode node, double[] v) {
        Conv1dSpec s = node.spec();
        float[] w = node.weights();
        int k = s.kernelSize();
        int groupIn = s.inChannels() / s.groups();
        int groupOut = s.outChannels() / s.groups();
        double[] e = new double[s.outChannels()];
        for (int i = 0; i < w.length; i++) {
            int o = WeightIndex.outChannel(s, i);
            int ic = inChannel(s, i, groupIn, groupOut, k);
            e[o] += Math.abs(w[i]) * v[ic];
        }
        return e;
    }

    /** The input channel of the weight at flat index {@code i} in the spec's weight layout. */
    private static int inChannel(Conv1dSpec s, int i, int groupIn, int groupOut, int k) {
        int cout = s.outChannels();
        return switch (s.weightLayout()) {
            case OIW -> (i / (groupIn * k)) / groupOut * groupIn + (i / k) % groupIn; // (C_out, C_in/G, K)
            case WIO -> (i % cout) / groupOut * groupIn + (i / cout) % groupIn; // (K, C_in/G, C_out)
            case IOW -> i / (groupOut * k); // (C_in, C_out/G, K)
            case WOI -> i % s.inChannels(); // (K, C_out, C_in)
        };
    }

    private static double channelGain(NetNode n, int c) {
        if (n instanceof BatchNormNode b) {
            return Math.abs(b.scale()[c]) / Math.sqrt(b.variance()[c] + b.epsilon());
        }
        if (n instanceof PointwiseNode p) {
            return switch (p.function()) {
                case LEAKY_RELU, ELU -> Math.max(1, Math.abs(p.alpha()));
                case SIGMOID -> 0.25;
                case HARD_SIGMOID -> Math.abs(p.alpha());
                case HARD_SWISH -> 1.5;
                case GELU, GELU_TANH -> 1.13;
                case SILU -> 1.1;
                default -> 1;
            };
        }
        if (n instanceof PReluNode p) {
            float[] slope = p.slope();
            return Math.max(1, Math.abs(slope[slope.length == 1 ? 0 : c]));
        }
        return 1;
    }

    private static double gamma(long n) {
        return n * U / (1 - n * U);
    }

    /** What summing in float adds to each output channel of node {@code n}, whose input channels reach {@code x}. */
    private static double[] floatSumError(NetNode n, double[] x, int width, int outChannels, boolean bf16) {
        if (n instanceof ConvNode c) {
            Conv1dSpec s = c.spec();
            double[] e = convGain(c, x);
            float[] b = c.bias();
            double gamma = gamma((long) s.inChannels() / s.groups() * s.kernelSize() + 2) + (bf16 ? V : 0);
            for (int o = 0; o < e.length; o++) {
                e[o] = gamma * (e[o] + (b == null ? 0 : Math.abs(b[o])));
            }
            return e;
        }
        double[] e = new double[outChannels];
        long terms = n instanceof PoolNode p && !p.max() ? p.kernel()
                : n instanceof GlobalPoolNode g && !g.max() ? width : 0;
        for (int c = 0; terms > 0 && c < e.length; c++) {
            e[c] = gamma(terms) * x[c];
        }
        return e;
    }

    private static double approximation(NetNode n, double maxOut) {
        if (n instanceof ConvNode c) {
            return switch (c.spec().activation()) {
                case ELU, TANH, SIGMOID, GELU_ERF, GELU_TANH, SWISH -> APPROXIMATION_ULPS * U * Math.max(1, maxOut);
                default -> 0;
            };
        }
        if (n instanceof PointwiseNode p) {
            return switch (p.function()) {
                case ELU, TANH, SIGMOID, GELU, GELU_TANH, SILU -> APPROXIMATION_ULPS * U * Math.max(1, maxOut);
                default -> 0;
            };
        }
        return 0;
    }
}
