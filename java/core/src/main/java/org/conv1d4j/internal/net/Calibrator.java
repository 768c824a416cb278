package org.conv1d4j.internal.net;

import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.kernel.LibraryOnly;
import org.conv1d4j.internal.onednn.OneDnnKernel;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Quantization;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the int8 quantization of every tensor of a network: runs the network node by node in float32
 * ({@link ReferenceNet}, its convs on oneDNN's float32 kernels, which the cross-check holds to the reference within
 * float32 rounding: far below a quantization step) on the calibration samples and applies the {@link Calibration}
 * to each tensor's values as it is computed (holding no more tensors than a forward run does).
 */
public final class Calibrator {
    private Calibrator() {
    }

    /**
     * @param graph the network
     * @param samples the calibration inputs, NCW, {@code batch * C * width} finite floats (checked by the caller)
     * @param batch how many samples
     * @param width their width, one the graph accepts
     * @param calibration how a range is chosen from a tensor's values
     * @param tolerance with a number, each conv is also run in int8 on its calibration input and kept in float32
     *     unless int8 is faster and within {@code max |y8 - y| / max |y| <= tolerance}; NaN: every conv in int8
     * @return the quantizations and the convs that stay float32
     * @throws IllegalCallerException when called from outside the library (it runs oneDNN kernels)
     */
    public static Int8Setup calibrate(NetGraph graph, float[] samples, int batch, int width, Calibration calibration,
                                      double tolerance) {
        LibraryOnly.requireLibraryCaller();
        Map<String, Quantization> q = new HashMap<>();
        Set<String> floatConvs = new HashSet<>();
        Conv1dOptions f32 = Conv1dOptions.defaults();
        ReferenceNet.ConvKernels kernels = (node, spec) -> {
            Kernel k = OneDnnKernel.create(spec, node.weights(), node.bias(), f32);
            return Double.isNaN(tolerance) ? k : new LayerChoice(k, node, spec, q, tolerance, floatConvs);
        };
        try (ReferenceNet ref = new ReferenceNet(graph, kernels)) {
            ref.visit(samples, batch, width, (name, values) -> {
                try {
                    q.put(name, calibration.of(values));
                } catch (IllegalArgumentException e) { // an overflow inside the network
                    throw new IllegalArgumentException("samples: tensor " + name + " of the network on them: "
                            + e.getMessage(), e);
                }
            });
        }
        return new Int8Setup(q, floatConvs);
    }

    /**
     * A conv's float32 kernel that, on the calibration pass, also runs the conv in int8 on the same input (quantized
     * as calibrated) and decides which precision the network uses for it: int8 where it is faster (median of
     * {@value #TIMED} calls each, channels-last) and its error within the tolerance; float32 otherwise.
     */
    private static final class LayerChoice implements Kernel {
        private static final int TIMED = 5;
        private final Kernel f32;
        private final ConvNode node;
        private final Conv1dSpec spec;
        private final Map<String, Quantization> quantization;
        private final double tolerance;
        private final Set<String> floatConvs;

        LayerChoice(Kernel f32, ConvNode node, Conv1dSpec spec, Map<String, Quantization> quantization,
                    double tolerance, Set<String> floatConvs) {
            this.f32 = f32;
            this.node = node;
            this.spec = spec;
            this.quantization = quantization;
            this.tolerance = tolerance;
            this.floatConvs = floatConvs;
        }

        @Override
        public void forward(float[] src, float[] dst, int batch, Geometry g) {
            f32.forward(src, dst, batch, g);
            Conv1dOptions int8 = Conv1dOptions.defaults().withInt8(quantization.get(node.input()));
            float[] y8 = new float[dst.length];
            Kernel exact = OneDnnKernel.create(spec, node.weights(), node.bias(), int8);
            try {
                exact.forward(src, y8, batch, g);
            } finally {
                exact.close();
            }
            double err = NetCrossCheck.maxRelativeError(dst, y8);
            // timed channels-last, as the chain keeps its tensors (a conv reading NCW in float32 skips the reorder
            // that int8 needs, which the chain pays once at its input, not per conv)
            Conv1dSpec nwc = spec.toBuilder().layout(Layout.NWC).weightLayout(spec.weightLayout()).build();
            long t8 = medianNanos(nwc, int8, src, batch, g);
            long t32 = medianNanos(nwc, Conv1dOptions.defaults(), src, batch, g);
            if (!(t8 < t32 && err <= tolerance)) {
                floatConvs.add(node.name());
            }
        }

        private long medianNanos(Conv1dSpec timed, Conv1dOptions options, float[] src, int batch, Geometry g) {
            Kernel k = OneDnnKernel.create(timed, node.weights(), node.bias(), options);
            try {
                float[] dst = new float[batch * timed.outChannels() * g.outWidth()];
                k.forward(src, dst, batch, g); // plans and warms
                long[] t = new long[TIMED];
                for (int i = 0; i < t.length; i++) {
                    long start = System.nanoTime();
                    k.forward(src, dst, batch, g);
                    t[i] = System.nanoTime() - start;
                }
                java.util.Arrays.sort(t);
                return t[TIMED / 2];
            } finally {
                k.close();
            }
        }

        @Override
        public void forward(FloatBuffer src, FloatBuffer dst, int batch, Geometry g) {
            throw new UnsupportedOperationException("calibration runs on arrays");
        }

        @Override
        public void close() {
            f32.close();
        }
    }
}
