package org.conv1d4j.bench;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Padding;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One benchmarked layer: a spec (zero padding, bias, no activation) with its batch and width. The suite is S1-S4
 * (four synthetic shapes, stride 1, "same" padding: a small and a large 3-tap conv, a pointwise and a depthwise conv;
 * the shapes the peer runtimes were compared on) and layers of real 1D models. This class is the one definition of
 * every layer: the CLI's {@code bench} and {@code explain}, and the JMH suite, all read it.
 *
 * @param name a short label
 * @param spec the layer, in {@link Layout#NWC}; {@link #in(Layout)} gives the other layout
 * @param batch {@code N}
 * @param width {@code W}
 * @param what where the layer comes from
 */
public record Workload(String name, Conv1dSpec spec, int batch, int width, String what) {

    /** @return the suite, small to large */
    public static List<Workload> suite() {
        List<Workload> s = new ArrayList<>();
        s.add(of("S1", conv(64, 64, 3, 1, 1, Padding.SAME), 1, 128, "small 3-tap conv"));
        s.add(of("S2", conv(256, 256, 3, 1, 1, Padding.SAME), 8, 1024, "large 3-tap conv"));
        s.add(of("S3", conv(512, 512, 1, 1, 1, Padding.SAME), 32, 512, "pointwise conv"));
        s.add(of("S4", conv(128, 128, 9, 128, 1, Padding.SAME), 16, 2048, "depthwise conv"));
        s.add(of("wav2vec", Conv1dSpec.builder(1, 512, 10).stride(5).padding(Padding.VALID).layout(Layout.NWC)
                .build(), 1, 16000, "wav2vec 2.0 feature encoder, first layer (1 s of 16 kHz audio)"));
        for (int k : new int[] {2, 3}) {
            for (int d : new int[] {1, 512}) {
                s.add(of("tcn-k" + k + "-d" + d, conv(128, 128, k, 1, d, Padding.CAUSAL), 1, 4096,
                        "dilated causal TCN / WaveNet layer"));
            }
        }
        s.add(of("tasnet-dw", conv(512, 512, 3, 512, 8, Padding.SAME), 1, 4000,
                "Conv-TasNet depthwise conv (0.5 s at 8 kHz)"));
        for (int k : new int[] {3, 4, 5}) {
            s.add(of("textcnn-k" + k, conv(300, 100, k, 1, 1, Padding.VALID), 64, 100,
                    "text CNN over 300-d word vectors"));
        }
        return List.copyOf(s);
    }

    /**
     * @param name a name from {@link #suite()}
     * @return that workload
     * @throws IllegalArgumentException when there is none
     */
    public static Workload named(String name) {
        return suite().stream().filter(w -> w.name.equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("workload: no workload named '" + name + "'"));
    }

    private static Workload of(String name, Conv1dSpec spec, int batch, int width, String what) {
        return new Workload(name, spec, batch, width, what);
    }

    private static Conv1dSpec conv(int cin, int cout, int k, int groups, int dilation, Padding padding) {
        return Conv1dSpec.builder(cin, cout, k).groups(groups).dilation(dilation).padding(padding)
                .layout(Layout.NWC).build();
    }

    /**
     * The layer's shape and origin in words, e.g. {@code N 1, W 128, C 64 -> 64, K 3, same: small 3-tap conv}.
     *
     * @return {@link #shape()} and {@link #what()}
     */
    public String describe() {
        return shape() + ": " + what;
    }

    /**
     * The layer's shape in words, e.g. {@code N 1, W 128, C 64 -> 64, K 3, same}.
     *
     * @return batch, width, channels, kernel, and stride, dilation and groups where not 1, padding
     */
    public String shape() {
        StringBuilder s = new StringBuilder("N ").append(batch).append(", W ").append(width).append(", C ")
                .append(spec.inChannels()).append(" -> ").append(spec.outChannels()).append(", K ")
                .append(spec.kernelSize());
        if (spec.stride() != 1) {
            s.append(", stride ").append(spec.stride());
        }
        if (spec.dilation() != 1) {
            s.append(", dilation ").append(spec.dilation());
        }
        if (spec.groups() != 1) {
            s.append(", groups ").append(spec.groups());
        }
        return s.append(", ").append(spec.padding()).toString();
    }

    /**
     * @param layout the activation layout
     * @return this workload's spec in that layout
     */
    public Conv1dSpec in(Layout layout) {
        return spec.toBuilder().layout(layout).build();
    }

    /** @return floating-point operations of one call */
    public double flops() {
        return spec.flops(batch, width);
    }

    /** @return output width */
    public int outWidth() {
        return spec.geometry(width).outWidth();
    }

    /** @return the input element count */
    public int inputElements() {
        return batch * spec.inChannels() * width;
    }

    /** @return the output element count */
    public int outputElements() {
        return batch * spec.outChannels() * outWidth();
    }

    /** @return seeded weights scaled by {@code 1/sqrt(C_in/G * K)}, in the spec's weight layout */
    public float[] weights() {
        return uniform(new Random(1), spec.weightCount(), (float) (1 / Math.sqrt(spec.reductionLength())));
    }

    /** @return seeded bias */
    public float[] bias() {
        return uniform(new Random(2), spec.outChannels(), 0.1f);
    }

    /** @return a seeded input */
    public float[] input() {
        return uniform(new Random(3), inputElements(), 1);
    }

    /** @return int8 calibration samples: other draws of the input's distribution (another seed), never the input */
    public float[] calibration() {
        return uniform(new Random(4), inputElements(), 1);
    }

    private static float[] uniform(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
