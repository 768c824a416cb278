package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PlanReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dilated NWC convs whose width and padding are multiples of the dilation run folded (undilated on the view
 * {@code (N, C, W/d, d)}); they must match the reference like any other plan, on arrays and buffers, and the plan
 * must really be folded.
 */
class FoldTest {
    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "fold {0}")
    @MethodSource("seeds")
    void foldedDilatedConvsMatchTheReference(long seed) {
        Random r = new Random(4_000_000 + seed);
        int d = 2 + r.nextInt(7);
        int k = 1 + r.nextInt(5);
        int groups = new int[] {1, 2, 4}[r.nextInt(3)];
        boolean depthwise = r.nextInt(3) == 0;
        int cin = depthwise ? 4 * (1 + r.nextInt(4)) : groups * (1 + r.nextInt(4));
        int cout = depthwise ? cin : groups * (1 + r.nextInt(4));
        int width = d * (k + 1 + r.nextInt(12));
        Padding padding = switch (r.nextInt(3)) {
            case 0 -> Padding.CAUSAL;
            case 1 -> Padding.explicit(d * r.nextInt(k), d * r.nextInt(k));
            default -> k % 2 == 1 ? Padding.SAME : Padding.VALID;
        };
        Conv1dSpec spec = Conv1dSpec.builder(cin, cout, k).dilation(d).groups(depthwise ? cin : groups)
                .padding(padding).bias(r.nextBoolean()).layout(Layout.NWC).build();
        int batch = 1 + r.nextInt(3);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.5f);
        float[] b = spec.hasBias() ? RandomCase.uniform(r, cout, 0.1f) : null;
        float[] x = RandomCase.uniform(r, batch * cin * width, 1);
        try (Conv1d op = Conv1d.create(spec, w, b)) {
            PlanReport plan = op.describe(batch, width).orElseThrow();
            assertTrue(plan.toString().contains("[" + batch + ", " + cin + ", " + width / d + ", " + d + "]"),
                    "not folded: " + spec + " W=" + width + "\n" + plan);
            CrossCheck.Report report = new CrossCheck(spec, w, b).check(op, x, batch, width);
            assertTrue(report.passed(), spec + " N=" + batch + " W=" + width + ": " + report);
            RandomCase c = new RandomCase(seed, spec, batch, width, x, w, b);
            assertArrayEquals(op.forward(x, batch, width), PropertyTest.viaBuffers(op, c), "buffers vs arrays");
        }
    }
}
