package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.PlanReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward convs with one output column run as the dot product of the one window they read (gathered in Java
 * channels first, a 1x1 conv of {@code C_in * K} channels on oneDNN): whatever the stride, padding, padding mode,
 * dilation, groups and layout, they must match the reference, on both oneDNN engines, on arrays and buffers.
 */
class SingleWindowTest {
    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @Test
    void theFuzzFindingRuns() {
        // found by SpecFuzzTest: oneDNN's brgemm kernel asked a 33.9 GB scratchpad for this one dot product per output
        Conv1dSpec spec = Conv1dSpec.builder(1, 4, 1280).stride(4720429).padding(Padding.CAUSAL).layout(Layout.NWC)
                .bias(false).build();
        // now a 1x1 conv of 1280 channels on one column (a window of width 1280 needed the same scratchpad)
        Random r = new Random(10);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 1);
        float[] x = RandomCase.uniform(r, 2 * 13, 1);
        for (Engine engine : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D}) {
            try (Conv1d op = Conv1d.create(spec, w, null, engine)) {
                CrossCheck.Report report = new CrossCheck(spec, w, null).check(op, x, 2, 13);
                assertTrue(report.passed(), engine + ": " + report);
                PlanReport plan = op.describe(2, 13).orElseThrow();
                String window = engine == Engine.ONEDNN_2D ? "[2, 1280, 1, 1]" : "[2, 1280, 1]";
                assertTrue(plan.userSrc().startsWith(window), plan.toString());
                assertTrue(LongStream.of(plan.strides()).allMatch(s -> s == 1), plan.toString());
            }
        }
    }

    @Test
    void aWideKernelOverOneColumnRuns() {
        // found by SpecFuzzTest: K 65536 over one column (causal, so 65535 zeros and the input); as a conv of width
        // 65536 oneDNN's brgemm kernel asked a 34.4 GB scratchpad
        Conv1dSpec spec = Conv1dSpec.builder(1, 1, 65536).stride(4720429).padding(Padding.CAUSAL).layout(Layout.NCW)
                .build();
        Random r = new Random(11);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 1);
        float[] b = {0.25f};
        float[] x = {0.75f};
        try (Conv1d op = Conv1d.create(spec, w, b)) {
            CrossCheck.Report report = new CrossCheck(spec, w, b).check(op, x, 1, 1);
            assertTrue(report.passed(), report.toString());
            assertEquals(w[65535] * 0.75f + 0.25f, op.forward(x, 1, 1)[0], 1e-6f);
        }
    }

    @ParameterizedTest(name = "one column {0}")
    @MethodSource("seeds")
    @SuppressWarnings("EnumOrdinal") // a random draw picks the padding mode by index on purpose
    void oneColumnConvsMatchTheReference(long seed) {
        Random r = new Random(5_000_000 + seed);
        int k = 1 + r.nextInt(9);
        int d = r.nextInt(3) == 0 ? 1 + r.nextInt(4) : 1;
        int ke = d * (k - 1) + 1;
        int groups = new int[] {1, 2, 3}[r.nextInt(3)];
        int cin = groups * (1 + r.nextInt(3));
        int cout = groups * (1 + r.nextInt(3));
        PaddingMode mode = PaddingMode.values()[r.nextInt(PaddingMode.values().length)];
        int left = r.nextInt(ke + 2);
        int right = r.nextInt(3);
        // a width that leaves one column for a stride at least the rest of the padded input
        int width = Math.max(1, Math.max(ke - left - right, 0) + r.nextInt(4));
        if (mode == PaddingMode.REFLECT || mode == PaddingMode.CIRCULAR) {
            left = Math.min(left, width - 1);
            right = Math.min(right, width - 1);
            width = Math.max(width, ke - left - right);
        }
        int padded = width + left + right;
        if (padded < ke) {
            width += ke - padded;
            padded = ke;
        }
        int stride = padded - ke + 1 + r.nextInt(r.nextBoolean() ? 3 : 1 << 20);
        Conv1dSpec spec = Conv1dSpec.builder(cin, cout, k).stride(stride).dilation(d).groups(groups)
                .padding(Padding.explicit(left, right)).paddingMode(mode).bias(r.nextBoolean())
                .layout(r.nextBoolean() ? Layout.NCW : Layout.NWC).build();
        assertEquals(1, spec.geometry(width).outWidth(), spec + " W=" + width);
        int batch = 1 + r.nextInt(3);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.5f);
        float[] b = spec.hasBias() ? RandomCase.uniform(r, cout, 0.1f) : null;
        float[] x = RandomCase.uniform(r, batch * cin * width, 1);
        for (Engine engine : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D}) {
            try (Conv1d op = Conv1d.create(spec, w, b, engine)) {
                CrossCheck.Report report = new CrossCheck(spec, w, b).check(op, x, batch, width);
                assertTrue(report.passed(), engine + " " + spec + " N=" + batch + " W=" + width + ": " + report);
                RandomCase c = new RandomCase(seed, spec, batch, width, x, w, b);
                assertArrayEquals(op.forward(x, batch, width), PropertyTest.viaBuffers(op, c), "buffers vs arrays");
            }
        }
    }
}
