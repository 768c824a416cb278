package org.conv1d4j.tests.nets;

import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.NetOptions;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Op;

import java.util.HashMap;
import java.util.Map;

/**
 * The bound the reference engine's network output is held to, against a float64 result rounded to float32, in the
 * shared README's measure {@code max |y - e| / (1 + |e|)}.
 *
 * <p>The reference accumulates each node in double (its own error, about {@code K*C*2^-53} relative, is negligible)
 * and rounds each node's output to float32: node {@code n} adds at most {@code u * max|v_n[c]|} to channel {@code c}
 * of its output, {@code u = 2^-24}. Errors are carried per channel, as bounds {@code E[c]} on the absolute error of
 * every element of channel {@code c}: a conv maps them as its weights' magnitudes do,
 * {@code E_out[o] = sum_{i,k} |w[o,i,k]| * E_in[i]}; BatchNorm multiplies channel {@code c} by
 * {@code |scale[c]| / sqrt(var[c] + eps)}; an activation by its largest slope (GELU 1.13, SiLU 1.1, sigmoid 1/4, ...);
 * Add adds its inputs' bounds; Concat stacks them; Pad, Slice and the pools keep them. In topological order,
 * {@code E_out = map(E_in) + u * max|out[c]|}, from {@code E = 0} at the (exact) input. The bound thus grows with
 * depth as the product of the downstream gains times each node's magnitudes, which this class measures by running
 * the network up to every node. The expected file adds its own rounding, {@code u * |e|}; dividing by
 * {@code 1 + |e| >= 1}, the measure is at most {@code max_c E_out[c] + u}. It is a worst case (every rounding error
 * aligned, every weight's sign against us); measured errors sit orders of magnitude below it.
 */
final class ErrorBound {
    static final double U = Math.ulp(1.0f) / 2;

    private ErrorBound() {
    }

    static double of(NetGraph graph, float[] input, int batch, int width) {
        return of(graph, input, batch, width, false);
    }

    /**
     * The bound of the oneDNN chain ({@code floatSums}) or of the reference. oneDNN accumulates in float: a conv
     * output of {@code m = C_in/G * K} products, plus the bias, plus the rounding of weights that BatchNorm was folded
     * into, carries at most {@code gamma_(m+2) * (sum |w| max|x| + |b|)} more, {@code gamma_n = n u / (1 - n u)}
     * (Higham's bound for a recursive or blocked sum); an average pool of {@code K} inputs {@code gamma_K max|x|}.
     * Its vectorised exp, erf and tanh (ELU, sigmoid, tanh, GELU, SiLU) are approximations: each adds at most
     * {@code 64 u max(1, |y|)} (oneDNN's own tests allow 4e-6, about 67 u, for f32 eltwise).
     */
    static double of(NetGraph graph, float[] input, int batch, int width, boolean floatSums) {
        Map<String, double[]> error = new HashMap<>();
        Map<String, double[]> reach = new HashMap<>();
        error.put(graph.inputName(), new double[graph.inputChannels()]);
        reach.put(graph.inputName(), channelMaxAbs(input, graph.inputChannels(), width));
        Map<String, Integer> widths = graph.widths(batch, width);
        NetGraph.Builder prefix = NetGraph.builder(graph.inputName(), graph.inputChannels());
        graph.nodes().forEach(prefix::add);
        for (NetNode n : graph.nodes()) {
            double[] e = propagate(n, error);
            double[] m = channelMaxAbs(prefix.build(n.output()), input, batch, width);
            reach.put(n.output(), m);
            String in = n.inputs().get(0);
            double[] sums = floatSums ? floatSumError(n, reach.get(in), widths.get(in), e.length) : new double[e.length];
            for (int c = 0; c < e.length; c++) {
                e[c] += U * m[c] + sums[c] + (floatSums ? approximation(n, m[c]) : 0);
            }
            error.put(n.output(), e);
        }
        double max = 0;
        for (double v : error.get(graph.outputName())) {
            max = Math.max(max, v);
        }
        return max + U;
    }

    private static double[] channelMaxAbs(NetGraph upTo, float[] input, int batch, int width) {
        try (Conv1dNet net = Conv1dNet.create(upTo, NetOptions.defaults().withEngine(Engine.REFERENCE))) {
            int[] s = net.outputShape(batch, width);
            return channelMaxAbs(net.forward(input, batch, width), s[1], s[2]);
        }
    }

    private static double[] channelMaxAbs(float[] y, int channels, int width) {
        double[] m = new double[channels];
        for (int i = 0; i < y.length; i++) {
            int c = (i / width) % channels;
            m[c] = Math.max(m[c], Math.abs(y[i]));
        }
        return m;
    }

    private static double gamma(long n) {
        return n * U / (1 - n * U);
    }

    /** What summing in float adds to each output channel of node {@code n}, whose input channels reach {@code x}. */
    private static double[] floatSumError(NetNode n, double[] x, int width, int outChannels) {
        if (n instanceof ConvNode c) {
            Conv1dSpec s = c.spec();
            double[] e = conv(c, x);
            float[] b = c.bias();
            double gamma = gamma((long) s.inChannels() / s.groups() * s.kernelSize() + 2);
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
        if (n instanceof PointwiseNode p) {
            return switch (p.function()) {
                case ELU, TANH, SIGMOID, GELU, GELU_TANH, SILU -> 64 * U * Math.max(1, maxOut);
                default -> 0;
            };
        }
        return 0;
    }

    private static double[] propagate(NetNode n, Map<String, double[]> error) {
        double[] in = error.get(n.inputs().get(0));
        if (n instanceof ConvNode c) {
            return conv(c, in);
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

    private static double[] conv(ConvNode node, double[] in) {
        Conv1dSpec s = node.spec();
        float[] w = node.weights();
        int k = s.kernelSize();
        int groupIn = s.inChannels() / s.groups();
        int groupOut = s.outChannels() / s.groups();
        double[] e = new double[s.outChannels()];
        for (int o = 0; o < s.outChannels(); o++) {
            int g = o / groupOut;
            double sum = 0;
            for (int i = 0; i < groupIn; i++) {
                int ic = g * groupIn + i;
                for (int t = 0; t < k; t++) {
                    int at = s.op() == Op.CONV1D ? (o * groupIn + i) * k + t : (ic * groupOut + o % groupOut) * k + t;
                    sum += Math.abs(w[at]) * in[ic];
                }
            }
            e[o] = sum;
        }
        return e;
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
}
