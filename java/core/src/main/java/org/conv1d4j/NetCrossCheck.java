package org.conv1d4j;

import org.conv1d4j.internal.net.ErrorPropagation;
import org.conv1d4j.internal.net.Int8ReferenceNet;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

/**
 * Runs a network and the reference engine on the same input and judges the difference against a bound derived from
 * float32 arithmetic along the graph, not tuned.
 *
 * <p><b>The bound.</b> Per output channel {@code c}, {@code E[c]} bounds how far each element of the channel can be
 * from the exact result. It starts at 0 on the input and follows the graph in order: every node maps the error it
 * receives through its gain (a conv through {@code sum |w|} over what each output reads, BatchNorm through
 * {@code |scale| / sqrt(var + eps)}, an activation through its largest slope, Add sums, Concat stacks), then adds its
 * own: the rounding of its output, {@code u max|out[c]|} ({@code u = 2^-24}); on oneDNN also the float32 sum of a conv,
 * {@code gamma_(m+2) (sum |w| max|x| + |b|)} for {@code m = C_in/G * K} products and
 * {@code gamma_n = n u / (1 - n u)}, and {@code 64 u max(1, max|out|)} for each approximated exp, erf or tanh. So the
 * bound of a chain grows with its depth as the product of the gains downstream of each node times that node's own
 * error; the magnitudes are those of this input, taken from the reference's run. In bfloat16 the chain's input,
 * tensors and weights are rounded with {@code v = 2^-8} in place of {@code u}. The network's output and the
 * reference's each lie within their engine's bound of the exact result, so an element passes when
 * {@code |y - ref| <= E_engine[c] + E_reference[c]}. NaN matches NaN and an infinity the same infinity.
 *
 * <p><b>int8.</b> An int8 network is compared with the int8 oracle, which computes the same integers in Java
 * ({@link Precision#INT8}), against the bound of {@code ErrorPropagation.int8Bound}: the float32 epilogues and
 * roundings of both, plus, where a conv's input may already differ, a quantization step for every input channel
 * that has a value within that difference of a rounding boundary (elsewhere the quantization absorbs it). The int8
 * error against float32 is measured, not bounded ({@link #snrDb}).
 */
public final class NetCrossCheck {
    private NetCrossCheck() {
    }

    /**
     * The result of one comparison.
     *
     * @param maxAbsError {@code max |y - ref|}
     * @param maxBound the largest channel's bound
     * @param worstRatio the largest error over its channel's bound; at most 1 passes
     * @param mismatchedNonFinite elements where one side is NaN or infinite and the other is not the same
     * @param passed whether every element is within its bound
     */
    public record Report(double maxAbsError, double maxBound, double worstRatio, int mismatchedNonFinite,
                         boolean passed) {
        @Override
        public String toString() {
            return String.format("max abs %.3e, bound %.3e, worst error/bound %.3g, %s", maxAbsError, maxBound,
                    worstRatio, passed ? "PASS" : "FAIL");
        }
    }

    /**
     * Runs {@code net} and the reference on {@code input} and compares.
     *
     * @param net the network under test (on any engine)
     * @param input {@code batch * C * width} floats in the network's layout
     * @param batch {@code N}
     * @param width {@code W}
     * @return the report
     * @throws IllegalArgumentException naming the argument that does not fit
     * @throws IllegalStateException when {@code net} is closed
     */
    public static Report check(Conv1dNet net, float[] input, int batch, int width) {
        if (net == null) {
            throw new IllegalArgumentException("net: must not be null");
        }
        return compare(net, input, net.forward(input, batch, width), batch, width);
    }

    /**
     * Compares an output said to be {@code net}'s on {@code input} with the reference's, against the bound of
     * {@code net}'s engine.
     *
     * @param net the network (its graph, engine and layout are used; it is not run)
     * @param input {@code batch * C * width} floats in the network's layout
     * @param y the output to judge, in the network's layout
     * @param batch {@code N}
     * @param width {@code W}
     * @return the report
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public static Report compare(Conv1dNet net, float[] input, float[] y, int batch, int width) {
        if (net == null) {
            throw new IllegalArgumentException("net: must not be null");
        }
        NetGraph g = net.graph();
        int[] s = g.outputShape(batch, width);
        if (y == null || y.length != (long) s[0] * s[1] * s[2]) {
            throw new IllegalArgumentException("output: expected " + (long) s[0] * s[1] * s[2]
                    + " floats, got " + (y == null ? "null" : y.length));
        }
        checkInput(g, input, batch, width);
        boolean nwc = net.options().layout() == Layout.NWC;
        float[] x = nwc ? Conv1dNet.transpose(input, batch, width, g.inputChannels()) : input;
        boolean onednn = net.options().engine() != Engine.REFERENCE;
        boolean int8 = net.options().precision() == Precision.INT8;
        ErrorPropagation.Analysis analysis = int8
                ? ErrorPropagation.int8Bound(g, new Int8ReferenceNet(g, net.int8Setup(),
                        DnnlRuntime.get().effectiveIsa()), x, batch, width)
                : ErrorPropagation.analyse(g, x, batch, width, onednn && net.options().precision() == Precision.BF16);
        float[] ref = analysis.output();
        double[] bound = int8 ? analysis.chain() : onednn ? analysis.chain() : analysis.reference();
        double[] refBound = int8 ? new double[bound.length] : analysis.reference();
        float[] got = nwc ? Conv1dNet.transpose(y, batch, s[2], s[1]) : y;
        double maxAbs = 0;
        double worst = 0;
        double maxBound = 0;
        int mismatched = 0;
        for (int i = 0; i < ref.length; i++) {
            int c = (i / s[2]) % s[1];
            double allowed = bound[c] + refBound[c];
            maxBound = Math.max(maxBound, allowed);
            float a = got[i];
            float r = ref[i];
            if (!Float.isFinite(a) || !Float.isFinite(r)) {
                if (Float.compare(a, r) != 0) {
                    mismatched++;
                }
                continue;
            }
            double err = Math.abs((double) a - r);
            maxAbs = Math.max(maxAbs, err);
            worst = Math.max(worst, allowed > 0 ? err / allowed : err > 0 ? Double.POSITIVE_INFINITY : 0);
        }
        return new Report(maxAbs, maxBound, worst, mismatched, worst <= 1 && mismatched == 0);
    }

    /**
     * The bound per output channel of an engine's result against the exact one, for this input (see the class
     * comment).
     *
     * @param graph the network
     * @param input {@code batch * C * width} floats in NCW order
     * @param batch {@code N}
     * @param width {@code W}
     * @param engine the engine whose arithmetic is bounded
     * @param precision what a oneDNN engine computes in (the reference always computes in float32)
     * @return for each output channel, the bound on the absolute error of its elements
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public static double[] outputBound(NetGraph graph, float[] input, int batch, int width, Engine engine,
                                       Precision precision) {
        if (graph == null || engine == null || precision == null) {
            throw new IllegalArgumentException((graph == null ? "graph" : engine == null ? "engine" : "precision")
                    + ": must not be null");
        }
        graph.outputShape(batch, width);
        checkInput(graph, input, batch, width);
        boolean onednn = engine != Engine.REFERENCE;
        return ErrorPropagation.outputBound(graph, input, batch, width, onednn, onednn && precision == Precision.BF16);
    }

    /**
     * How far one layer of an int8 network is from float32 on one input.
     *
     * @param tensor the layer's output tensor
     * @param nodes the graph's nodes the layer computes
     * @param snrDb {@link #snrDb} of the int8 oracle's tensor against the float32 reference's
     * @param maxRelativeError {@code max |q - f| / max |f|} over the tensor
     */
    public record LayerError(String tensor, java.util.List<String> nodes, double snrDb, double maxRelativeError) {
        /**
         * Copies the list.
         *
         * @param tensor the layer's output tensor
         * @param nodes the graph's nodes the layer computes
         * @param snrDb the SNR in dB
         * @param maxRelativeError the largest error relative to the tensor's largest magnitude
         */
        public LayerError {
            nodes = java.util.List.copyOf(nodes);
        }
    }

    /**
     * The quantization error of an int8 network layer by layer: the int8 oracle (the arithmetic the chain runs,
     * {@link Precision#INT8}) against the float32 reference on the same input, for every fused layer's output, in
     * order; the last is the network's output. Errors compound: each layer's figure includes everything upstream.
     *
     * @param net an int8 network (any engine: the figures are the oracle's, which the chain matches)
     * @param input {@code batch * C * width} floats in the network's layout
     * @param batch {@code N}
     * @param width {@code W}
     * @return one entry per layer
     * @throws IllegalArgumentException naming the argument that does not fit, or when the network is not int8
     */
    public static java.util.List<LayerError> quantizationError(Conv1dNet net, float[] input, int batch, int width) {
        if (net == null) {
            throw new IllegalArgumentException("net: must not be null");
        }
        if (net.options().precision() != Precision.INT8) {
            throw new IllegalArgumentException("net: computes in " + net.options().precision() + ", not int8");
        }
        NetGraph g = net.graph();
        g.outputShape(batch, width);
        checkInput(g, input, batch, width);
        float[] x = net.options().layout() == Layout.NWC ? Conv1dNet.transpose(input, batch, width,
                g.inputChannels()) : input;
        Int8ReferenceNet oracle = new Int8ReferenceNet(g, net.int8Setup(), DnnlRuntime.get().effectiveIsa());
        return ErrorPropagation.layerErrors(g, oracle, x, batch, width).stream()
                .map(e -> new LayerError(e.tensor(), e.nodes(), snrDb(e.f32(), e.int8()),
                        maxRelativeError(e.f32(), e.int8())))
                .toList();
    }

    /**
     * The largest error of {@code y} relative to the largest magnitude of {@code reference}: how far a low-precision
     * output is from the float32 one, as one number.
     *
     * @param reference the float32 output
     * @param y the low-precision output of the same input, same layout
     * @return {@code max |y - ref| / max |ref|} ({@code max |y - ref|} where the reference is all zeros)
     * @throws IllegalArgumentException when the arrays are null or differ in length
     */
    public static double maxRelativeError(float[] reference, float[] y) {
        if (reference == null || y == null || reference.length != y.length) {
            throw new IllegalArgumentException("y: must have the reference's length");
        }
        double err = 0;
        double mag = 0;
        for (int i = 0; i < y.length; i++) {
            err = Math.max(err, Math.abs((double) y[i] - reference[i]));
            mag = Math.max(mag, Math.abs(reference[i]));
        }
        return mag > 0 ? err / mag : err;
    }

    /**
     * The signal-to-noise ratio of {@code y} against {@code reference}, {@code 10 log10(sum ref^2 / sum (y -
     * ref)^2)}: how an int8 or bf16 network's output compares with the float32 one.
     *
     * @param reference the float32 output
     * @param y the low-precision output of the same input, same layout
     * @return the SNR in dB (infinite where they are equal)
     * @throws IllegalArgumentException when the arrays are null or differ in length
     */
    public static double snrDb(float[] reference, float[] y) {
        if (reference == null || y == null || reference.length != y.length) {
            throw new IllegalArgumentException("y: must have the reference's length");
        }
        double signal = 0;
        double noise = 0;
        for (int i = 0; i < y.length; i++) {
            double d = (double) y[i] - reference[i];
            signal += (double) reference[i] * reference[i];
            noise += d * d;
        }
        return 10 * Math.log10(signal / noise);
    }

    private static void checkInput(NetGraph graph, float[] input, int batch, int width) {
        if (input == null || input.length != (long) batch * graph.inputChannels() * width) {
            throw new IllegalArgumentException("input: expected " + (long) batch * graph.inputChannels() * width
                    + " floats, got " + (input == null ? "null" : input.length));
        }
    }
}
