package org.conv1d4j.cli;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;

import java.util.List;
import java.util.Random;

/**
 * A request with its data, for {@code explain}.
 *
 * @param name a label
 * @param spec the spec
 * @param batch {@code N}
 * @param width {@code W}
 * @param input the input
 * @param weights the weights
 * @param bias the bias or {@code null}
 */
record Demo(String name, Conv1dSpec spec, int batch, int width, float[] input, float[] weights, float[] bias) {

    /** The built-in set: S1-S4 of the peers' table (stride 1, same, bias, channels-last) and a transposed layer. */
    static List<Demo> builtIn() {
        return List.of(
                random("S1", shape(64, 64, 3, 1), 1, 128),
                random("S2", shape(256, 256, 3, 1), 8, 1024),
                random("S3", shape(512, 512, 1, 1), 32, 512),
                random("S4 depthwise", shape(128, 128, 9, 128), 16, 2048),
                random("T1 transposed", Conv1dSpec.builder(128, 64, 4).op(Op.CONV_TRANSPOSE1D).stride(2)
                        .padding(Padding.SAME).layout(Layout.NWC).build(), 8, 512));
    }

    private static Conv1dSpec shape(int cin, int cout, int k, int groups) {
        return Conv1dSpec.builder(cin, cout, k).groups(groups).padding(Padding.SAME).layout(Layout.NWC).build();
    }

    /** Seeded uniform data; weights scaled by {@code 1/sqrt(C_in/G * K)} so outputs stay O(1). */
    static Demo random(String name, Conv1dSpec spec, int batch, int width) {
        Random r = new Random(42);
        float[] x = uniform(r, (long) batch * spec.inChannels() * width, 1);
        float[] w = uniform(r, spec.weightCount(), (float) (1 / Math.sqrt(spec.reductionLength())));
        float[] b = spec.hasBias() ? uniform(r, spec.outChannels(), 0.1f) : null;
        return new Demo(name, spec, batch, width, x, w, b);
    }

    private static float[] uniform(Random r, long n, float scale) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("input: " + n + " elements exceeds a Java array");
        }
        float[] a = new float[(int) n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (r.nextFloat() * 2 - 1) * scale;
        }
        return a;
    }
}
