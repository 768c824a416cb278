package org.conv1d4j.cli;

import org.conv1d4j.bench.Workload;
import org.conv1d4j.spec.Conv1dSpec;
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
// the arrays are the request's data, handed to ops as they are; no demo is compared or hashed
@SuppressWarnings("ArrayRecordComponent")
record Demo(String name, Conv1dSpec spec, int batch, int width, float[] input, float[] weights, float[] bias) {
    /** S1-S4 of the benchmark suite and a transposed layer: what {@code explain} runs when given no spec. */
    private static final List<Workload> BUILT_IN = List.of(Workload.named("S1"), Workload.named("S2"),
            Workload.named("S3"), Workload.named("S4"), new Workload("T1", Conv1dSpec.keras(128, 64, 4)
                    .op(Op.CONV_TRANSPOSE1D).stride(2).padding(Padding.SAME).build(), 8, 512, "transposed conv"));

    /** @return the built-in set with seeded data */
    static List<Demo> builtIn() {
        return BUILT_IN.stream().map(w -> new Demo(w.name(), w.spec(), w.batch(), w.width(), w.input(), w.weights(),
                w.bias())).toList();
    }

    /** @return what {@link #builtIn()} runs, described by shape, for the help text */
    static String describeBuiltIn() {
        StringBuilder s = new StringBuilder();
        for (Workload w : BUILT_IN) {
            s.append(String.format("  %-3s %s%n", w.name(), w.describe()));
        }
        return s.toString();
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
