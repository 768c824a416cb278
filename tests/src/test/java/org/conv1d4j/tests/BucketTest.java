package org.conv1d4j.tests;

import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.WidthBucket;
import org.conv1d4j.spec.WidthBuckets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Width buckets: for random specs of every kind, random bucket rules and several widths run through one bucketed op
 * (widest first, so that narrower calls find a bucket tail an earlier call wrote), the result is within the
 * reference's bound, and bit-identical to the exact plan's (up to the sign of zero) where the README's note says so
 * ({@link #claimsBitIdentity}); the bucketed direct-buffer path gives exactly the bucketed array path's result.
 */
class BucketTest {
    static final int SPECS = 300;

    static LongStream seeds() {
        return LongStream.range(0, SPECS);
    }

    @ParameterizedTest(name = "forward {0}")
    @MethodSource("seeds")
    void forward(long seed) {
        check(RandomCase.draw(RandomCase.Kind.FORWARD, 5_000_000 + seed));
    }

    @ParameterizedTest(name = "padding mode {0}")
    @MethodSource("seeds")
    void paddingModes(long seed) {
        check(RandomCase.draw(RandomCase.Kind.PADDING_MODES, 6_000_000 + seed));
    }

    @ParameterizedTest(name = "transposed {0}")
    @MethodSource("seeds")
    void transposed(long seed) {
        check(RandomCase.draw(RandomCase.Kind.TRANSPOSED, 7_000_000 + seed));
    }

    private static void check(RandomCase c) {
        Random r = new Random(c.seed());
        WidthBuckets rule = randomRule(r);
        Conv1dSpec spec = c.spec();
        CrossCheck check = new CrossCheck(spec, c.weights(), c.bias());
        List<Integer> widths = widths(spec, c.width(), r);
        for (Engine e : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D}) {
            Conv1dOptions exactOptions = Conv1dOptions.defaults().withEngine(e);
            try (Conv1d exact = Conv1d.create(spec, c.weights(), c.bias(), exactOptions);
                 Conv1d bucketed = Conv1d.create(spec, c.weights(), c.bias(), exactOptions.withWidthBuckets(rule))) {
                for (int w : widths) {
                    float[] x = w == c.width() ? c.input() : RandomCase.uniform(r, c.batch() * spec.inChannels() * w, 1);
                    float[] want = exact.forward(x, c.batch(), w);
                    float[] got = bucketed.forward(x, c.batch(), w);
                    String what = e + " " + rule + " W=" + w + " " + bucketed.bucket(c.batch(), w) + " " + c;
                    float[] gotBuffers = PropertyTest.viaBuffers(bucketed, withInput(c, x, w));
                    CrossCheck.Report report = check.compare(got, x, c.batch(), w);
                    assertTrue(report.passed(), what + ": " + report);
                    report = check.compare(gotBuffers, x, c.batch(), w);
                    assertTrue(report.passed(), "buffers, " + what + ": " + report);
                    if (claimsBitIdentity(spec, exact.describe(c.batch(), w).orElseThrow(),
                            bucketed.describe(c.batch(), w).orElseThrow())) {
                        assertBitIdentical(want, got, what);
                        assertBitIdentical(want, gotBuffers, "buffers, " + what);
                    }
                }
            }
        }
    }

    /** Wider widths first, then the case's width, a narrower and a wider one: those the spec can take. */
    static List<Integer> widths(Conv1dSpec spec, int width, Random r) {
        List<Integer> widths = new ArrayList<>();
        for (int w : new int[] {width + 1 + r.nextInt(40), width + 1 + r.nextInt(8), width, width - 1, width + 1}) {
            if (w >= 1 && !widths.contains(w) && takes(spec, w)) {
                widths.add(w);
            }
        }
        return widths;
    }

    private static boolean takes(Conv1dSpec spec, int w) {
        try {
            spec.geometry(w);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static RandomCase withInput(RandomCase c, float[] x, int w) {
        return new RandomCase(c.seed(), c.spec(), c.batch(), w, x, c.weights(), c.bias());
    }

    private static WidthBuckets randomRule(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> WidthBuckets.defaults();
            case 1 -> new WidthBuckets(1, 1, 1 + r.nextInt(8));
            default -> {
                int step = 1 + r.nextInt(r.nextBoolean() ? 7 : 64);
                yield new WidthBuckets(step, step * (1 + r.nextInt(4)), 1 + r.nextInt(8));
            }
        };
    }

    /**
     * Where the README's note claims bit-identity: a forward conv whose bucket runs the same oneDNN implementation as
     * the exact width, other than the general brgemm convolutions. Direct JIT, depthwise, 1x1, gemm and matmul
     * kernels sum each output over {@code (C_in/G, K)} in an order the width does not change, and a padded tap they
     * skip is a zero product the bucket adds exactly; {@code brg_conv_fwd} and {@code brgconv_strided} group kernel
     * taps into batch-reduce calls by the output block's overlap with the padding, and deconvolutions pick their
     * reduction split by shape, so those differ by rounding only (measured: 1 to 2 ulp).
     */
    static boolean claimsBitIdentity(Conv1dSpec spec, PlanReport exact, PlanReport bucketed) {
        String impl = exact.implementation();
        return spec.op() == Op.CONV1D && impl.equals(bucketed.implementation()) && !impl.contains("brg_conv_fwd")
                && !impl.contains("brgconv_strided");
    }

    /** Equal bit for bit, but that {@code +0} and {@code -0} are the same value. */
    static void assertBitIdentical(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            boolean same = Float.floatToRawIntBits(want[i]) == Float.floatToRawIntBits(got[i])
                    || (want[i] == 0f && got[i] == 0f);
            if (!same) {
                throw new AssertionError(what + ": element " + i + " is " + got[i] + ", the exact plan's "
                        + want[i]);
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"NCW, REFLECT", "NWC, REFLECT", "NWC, ZEROS", "NCW, ZEROS"})
    void aStreamOfBucketedWidthsCreatesNoNativeObjects(Layout layout, PaddingMode mode) {
        Conv1dSpec spec = Conv1dSpec.builder(8, 16, 5).stride(2).padding(Padding.SAME).layout(layout)
                .paddingMode(mode).build();
        Random r = new Random(3);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        FloatBuffer in = org.conv1d4j.DirectBuffers.allocate(2 * 8 * 256);
        in.put(0, RandomCase.uniform(r, 2 * 8 * 256, 1));
        FloatBuffer out = org.conv1d4j.DirectBuffers.allocate(2 * 16 * 128);
        Conv1dOptions options = Conv1dOptions.defaults().withWidthBuckets(WidthBuckets.defaults());
        try (Conv1d op = Conv1d.create(spec, w, new float[16], options)) {
            int plans = op.warmUp(2, 100, 256);
            // padded widths 103..259: buckets 128, 192, 256, 320; NWC with zeros adds its windows
            assertTrue((layout == Layout.NWC && mode == PaddingMode.ZEROS) ? plans > 4 : plans == 4, "plans " + plans);
            assertEquals(0, op.warmUp(2, 100, 256));
            for (int width = 100; width <= 256; width++) {
                op.forward(in, out, 2, width);
            }
            long objects = Pointer.totalCount();
            long bytes = Pointer.totalBytes();
            for (int i = 0; i < 2000; i++) {
                op.forward(in, out, 2, 100 + r.nextInt(157));
            }
            assertTrue(Pointer.totalCount() <= objects, "native objects created by bucketed calls");
            assertTrue(Pointer.totalBytes() <= bytes, "native bytes allocated by bucketed calls");
        }
    }

    /** Paddings a sequence takes: none, or two sides that add up to {@code (K - 1) D = 8}; and one it does not. */
    static List<Padding> sequencePaddings() {
        return List.of(Padding.VALID, Padding.SAME, Padding.CAUSAL, Padding.explicit(1, 7), Padding.explicit(2, 3));
    }

    @ParameterizedTest
    @MethodSource("sequencePaddings")
    void batchesOfSmallNwcSamplesRunAsOneSequence(Padding padding) throws Exception {
        Conv1dSpec spec = Conv1dSpec.builder(6, 10, 5).dilation(2).padding(padding).layout(Layout.NWC).build();
        boolean takes = !padding.equals(Padding.explicit(2, 3)); // 2 + 3 pads: OW = W - 3, not W
        Random r = new Random(9);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        float[] b = RandomCase.uniform(r, 10, 0.5f);
        CrossCheck check = new CrossCheck(spec, w, b);
        Conv1dOptions exactOptions = Conv1dOptions.defaults();
        try (Conv1d exact = Conv1d.create(spec, w, b, exactOptions);
             Conv1d op = Conv1d.create(spec, w, b, exactOptions.withWidthBuckets(WidthBuckets.defaults()))) {
            assertFalse(op.bucket(1, 100).sequence(), "one sample runs in windows of its own");
            // widest first, so that narrower batches find staged buffers a wider one wrote; W 8 = (K - 1) D, primes
            for (int width : new int[] {1031, 257, 8, 9, 10, 97, 131, 64}) {
                for (int n : new int[] {2, 3, 7, 9}) {
                    if (!takes(spec, width)) {
                        continue;
                    }
                    WidthBucket bucket = op.bucket(n, width);
                    String what = padding + " N=" + n + " W=" + width + " " + bucket;
                    if (width >= 64) { // shorter sequences may be narrower than the first bucket, with no windows
                        assertEquals(takes, bucket.sequence(), what);
                    }
                    if (bucket.sequence()) {
                        assertEquals(n * width, bucket.primitiveWidth(), what);
                        assertTrue(bucket.wastedColumns() >= 0, what);
                    }
                    float[] x = RandomCase.uniform(r, n * 6 * width, 1);
                    float[] got = PropertyTest.viaBuffers(op, new RandomCase(9, spec, n, width, x, w, b));
                    CrossCheck.Report report = check.compare(got, x, n, width);
                    assertTrue(report.passed(), what + ": " + report);
                    if (claimsBitIdentity(spec, exact.describe(n, width).orElseThrow(),
                            op.describe(n, width).orElseThrow())) {
                        assertBitIdentical(exact.forward(x, n, width), got, what);
                    }
                }
            }
            float[] x = RandomCase.uniform(r, 5 * 6 * 257, 1);
            float[][] want = new float[3][];
            int[] widths = {257, 131, 97};
            for (int i = 0; i < widths.length; i++) {
                want[i] = PropertyTest.viaBuffers(op, new RandomCase(9, spec, 5, widths[i], x, w, b));
            }
            Concurrently.onThreads(4, thread -> { // each call stages its sequence's buffers in ones of its own
                for (int i = 0; i < 60; i++) {
                    int k = (i + thread) % widths.length;
                    assertBitIdentical(want[k], PropertyTest.viaBuffers(op, new RandomCase(9, spec, 5, widths[k], x, w,
                            b)), padding + " thread " + thread + " W=" + widths[k]);
                }
            });
        }
    }

    @ParameterizedTest
    @CsvSource({"NCW, ZEROS", "NCW, REFLECT", "NWC, REFLECT"})
    void batchesRunInPowerOfTwoPartsOnFewPlans(Layout layout, PaddingMode mode) {
        Conv1dSpec spec = Conv1dSpec.builder(6, 10, 5).dilation(2).padding(Padding.SAME).layout(layout)
                .paddingMode(mode).build();
        Random r = new Random(8);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        float[] b = RandomCase.uniform(r, 10, 0.5f);
        CrossCheck check = new CrossCheck(spec, w, b);
        Conv1dOptions options = Conv1dOptions.defaults().withWidthBuckets(WidthBuckets.defaults());
        try (Conv1d op = Conv1d.create(spec, w, b, options)) {
            // padded widths 108..116 share the bucket 128: plans for the parts 1, 2, 4 and 8, not one per batch
            int plans = 0;
            for (int n = 1; n <= 9; n++) {
                plans += op.warmUp(n, 100, 108);
            }
            assertEquals(4, plans, "batches 1-9 on one bucket");
            for (int n : new int[] {9, 7, 1, 5, 3, 8, 6}) {
                int width = 100 + r.nextInt(9);
                float[] x = RandomCase.uniform(r, op.inputLength(n, width), 1);
                float[] got = op.forward(x, n, width); // every sample of every part where it belongs
                CrossCheck.Report report = check.compare(got, x, n, width);
                assertTrue(report.passed(), "N=" + n + " W=" + width + ": " + report);
                float[] viaBuffers = PropertyTest.viaBuffers(op, new RandomCase(0, spec, n, width, x, w, b));
                assertBitIdentical(got, viaBuffers, "buffers, N=" + n);
            }
        }
    }

    @Test
    void theDefaultRuleWastesLittle() {
        WidthBuckets rule = WidthBuckets.defaults();
        for (int w = 1; w < 200_000; w++) {
            int b = rule.bucket(w);
            assertTrue(b >= w && (b - w < 64 || b - w <= w / 8 + 64), w + " -> " + b);
        }
        assertEquals(64, rule.bucket(1));
        assertEquals(1024, rule.bucket(1000));
        assertEquals(1152, rule.bucket(1025));
        assertEquals(8, new WidthBuckets(1, 1, 1).count(1, 100)); // 1, 2, 4, ..., 128
        assertEquals(100, WidthBuckets.exact().count(1, 100));
    }

    @Test
    void explainsWhereAWidthRuns() {
        Conv1dSpec spec = Conv1dSpec.builder(1, 512, 10).stride(5).layout(Layout.NCW).build();
        // REORDER: AUTO would run this single-channel NCW conv on the sgemm (GemmTest)
        Conv1dOptions options = Conv1dOptions.defaults().withWidthBuckets(WidthBuckets.defaults())
                .withNcwStrategy(NcwStrategy.REORDER);
        try (Conv1d op = Conv1d.create(spec, new float[spec.weightCount()], new float[512], options);
             Conv1d nwc = Conv1d.create(spec.toBuilder().layout(Layout.NWC).build(), new float[spec.weightCount()],
                     new float[512], options)) {
            WidthBucket w = nwc.bucket(1, 1000);
            assertTrue(w.inWindows());
            assertEquals(192, w.firstWindow());
            assertEquals(16, w.tailWindow()); // columns [183, 199): below one step, tails are multiples of 16
            assertEquals(9, w.wastedColumns());
            WidthBucket b = op.bucket(1, 1000);
            assertTrue(b.bucketed());
            assertFalse(b.inWindows());
            assertEquals(199, b.outWidth());
            assertEquals(1024, b.primitiveWidth());
            assertEquals(203, b.primitiveOutWidth());
            assertEquals(4, b.wastedColumns());
            assertFalse(op.bucket(1, 10).bucketed()); // one output column: its own variant
            assertThrows(IllegalArgumentException.class, () -> op.warmUp(1, 20, 10));
        }
    }
}
