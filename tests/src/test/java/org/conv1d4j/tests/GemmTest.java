package org.conv1d4j.tests;

import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.WidthBucket;
import org.conv1d4j.spec.WidthBuckets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
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
 * {@link NcwStrategy#GEMM}: NCW forward convs on oneDNN's sgemm with sizes given per call, on a column copy or as
 * shifted taps. For random specs of every stride, dilation, padding and padding mode (groups 1, no activation), widths
 * in changing order (widest first, so that a narrower call finds a column buffer a wider one wrote; 1 and primes
 * among them), both overloads are within the reference's bound and agree bit for bit, also where the output held
 * NaNs before the call; a stream of widths creates no native object and allocates nothing on the heap, in either
 * form; concurrent calls of many widths give each call its own buffers; specs it cannot run are refused.
 */
class GemmTest {
    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    @ParameterizedTest(name = "forward {0}")
    @MethodSource("seeds")
    void forward(long seed) {
        check(gemmCase(RandomCase.Kind.FORWARD, 8_000_000 + seed));
    }

    @ParameterizedTest(name = "padding mode {0}")
    @MethodSource("seeds")
    void paddingModes(long seed) {
        check(gemmCase(RandomCase.Kind.PADDING_MODES, 9_000_000 + seed));
    }

    /** A random case made one the gemm runs: NCW, groups 1, no activation; weights and input drawn anew. */
    private static RandomCase gemmCase(RandomCase.Kind kind, long seed) {
        RandomCase c = RandomCase.draw(kind, seed);
        Random r = new Random(seed);
        Conv1dSpec spec = c.spec().toBuilder().layout(Layout.NCW).groups(1).activation(Activation.NONE).build();
        float[] x = RandomCase.uniform(r, c.batch() * spec.inChannels() * c.width(), 1);
        float[] w = RandomCase.uniform(r, spec.weightCount(), (float) (1 / Math.sqrt(spec.reductionLength())));
        float[] b = spec.hasBias() ? RandomCase.uniform(r, spec.outChannels(), 0.5f) : null;
        return new RandomCase(seed, spec, c.batch(), c.width(), x, w, b);
    }

    private static void check(RandomCase c) {
        Random r = new Random(c.seed() + 1);
        Conv1dSpec spec = c.spec();
        CrossCheck check = new CrossCheck(spec, c.weights(), c.bias());
        Engine engine = r.nextBoolean() ? Engine.ONEDNN_2D : Engine.ONEDNN_1D;
        Conv1dOptions options = Conv1dOptions.defaults().withEngine(engine).withNcwStrategy(NcwStrategy.GEMM);
        try (Conv1d op = Conv1d.create(spec, c.weights(), c.bias(), options)) {
            for (int w : BucketTest.widths(spec, c.width(), r)) {
                float[] x = w == c.width() ? c.input() : RandomCase.uniform(r, c.batch() * spec.inChannels() * w, 1);
                String what = engine + " W=" + w + " " + c;
                assertTrue(op.bucket(c.batch(), w).gemm(), what);
                float[] got = op.forward(x, c.batch(), w);
                CrossCheck.Report report = check.compare(got, x, c.batch(), w);
                assertTrue(report.passed(), what + ": " + report);
                float[] viaBuffers = viaStaleBuffers(op, c.batch(), x, w);
                BucketTest.assertBitIdentical(got, viaBuffers, "buffers, " + what);
            }
        }
    }

    /** The direct-buffer overload, its input and output at offsets, the output full of NaNs before the call. */
    private static float[] viaStaleBuffers(Conv1d op, int batch, float[] x, int w) {
        int out = op.outputLength(batch, w);
        FloatBuffer in = DirectBuffers.allocate(x.length + 3).put(3, x).position(3);
        FloatBuffer dst = DirectBuffers.allocate(out + 5);
        for (int i = 0; i < dst.capacity(); i++) {
            dst.put(i, Float.NaN);
        }
        op.forward(in, dst.position(5), batch, w);
        float[] y = new float[out];
        dst.get(5, y);
        return y;
    }

    @Test
    void autoChoosesTheGemmWhereItsColumnCopyIsSmallOrItsTapsShiftWithWidthBuckets() {
        Conv1dSpec wav2vec = Conv1dSpec.builder(1, 512, 10).stride(5).layout(Layout.NCW).build();
        Conv1dSpec twoChannels = Conv1dSpec.builder(2, 8, 3).layout(Layout.NCW).build();
        Conv1dSpec sincNet = Conv1dSpec.builder(1, 80, 251).layout(Layout.NCW).build();
        Conv1dSpec s1 = Conv1dSpec.builder(64, 64, 3).padding(Padding.SAME).layout(Layout.NCW).build();
        Conv1dOptions buckets = Conv1dOptions.defaults().withWidthBuckets(WidthBuckets.defaults());
        try (Conv1d auto = Conv1d.create(wav2vec, new float[wav2vec.weightCount()], new float[512], buckets);
             Conv1d exact = Conv1d.create(wav2vec, new float[wav2vec.weightCount()], new float[512]);
             Conv1d primitive = Conv1d.create(wav2vec, new float[wav2vec.weightCount()], new float[512],
                     buckets.withNcwStrategy(NcwStrategy.REORDER));
             Conv1d wide = Conv1d.create(twoChannels, new float[twoChannels.weightCount()], new float[8], buckets);
             Conv1d sinc = Conv1d.create(sincNet, new float[sincNet.weightCount()], new float[80], buckets);
             Conv1d shifted = Conv1d.create(s1, new float[s1.weightCount()], new float[64], buckets);
             Conv1d strided = Conv1d.create(s1.toBuilder().stride(2).build(), new float[s1.weightCount()],
                     new float[64], buckets);
             Conv1d reflected = Conv1d.create(s1.toBuilder().paddingMode(PaddingMode.REFLECT).build(),
                     new float[s1.weightCount()], new float[64], buckets);
             Conv1d wideKernel = Conv1d.create(Conv1dSpec.builder(64, 64, 15).padding(Padding.SAME)
                     .layout(Layout.NCW).build(), new float[64 * 64 * 15], new float[64], buckets)) {
            WidthBucket b = auto.bucket(1, 16_003);
            assertTrue(b.gemm());
            assertFalse(b.bucketed());
            assertEquals(0, b.wastedColumns());
            assertEquals(3199, b.primitiveOutWidth());
            assertTrue(auto.describe(1, 16_003).orElseThrow().implementation().contains("sgemm column copy"));
            assertEquals(0, auto.warmUp(1, 1000, 2000), "the gemm builds no plan");
            assertFalse(exact.bucket(1, 16_003).gemm(), "exact widths keep their primitive");
            assertFalse(primitive.bucket(1, 16_003).gemm(), "an explicit strategy is kept");
            assertFalse(wide.bucket(1, 100).gemm(), "AUTO keeps primitives where 4 C_in K > C_out and C_in < 16");
            assertFalse(sinc.bucket(1, 3200).gemm(), "AUTO keeps primitives for SincNet's K 251 (1004 > 80)");
            assertTrue(shifted.bucket(1, 131).gemm(), "stride 1, zero padding, C_in 64: shifted taps");
            assertTrue(shifted.describe(1, 131).orElseThrow().implementation().contains("shifted taps"));
            assertFalse(strided.bucket(1, 131).gemm(), "taps do not shift at stride 2");
            assertFalse(reflected.bucket(1, 131).gemm(), "taps do not shift over reflected padding");
            assertFalse(wideKernel.bucket(1, 131).gemm(), "AUTO keeps primitives for K > 11");
        }
    }

    @Test
    void refusesWhatItCannotRun() {
        Conv1dOptions gemm = Conv1dOptions.defaults().withNcwStrategy(NcwStrategy.GEMM);
        Conv1dSpec grouped = Conv1dSpec.builder(4, 4, 3).groups(2).layout(Layout.NCW).build();
        Conv1dSpec activated = Conv1dSpec.builder(1, 4, 3).activation(Activation.RELU).layout(Layout.NCW).build();
        Conv1dSpec transposed = Conv1dSpec.builder(1, 4, 3).op(Op.CONV_TRANSPOSE1D).layout(Layout.NCW).build();
        Conv1dSpec plain = Conv1dSpec.builder(1, 4, 3).layout(Layout.NCW).build();
        for (Conv1dSpec s : new Conv1dSpec[] {grouped, activated, transposed}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Conv1d.create(s, new float[s.weightCount()], new float[4], gemm));
            assertTrue(e.getMessage().startsWith("ncwStrategy: GEMM"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv1d.create(plain,
                new float[plain.weightCount()], new float[4], gemm.withPrecision(Precision.BF16)));
        assertTrue(e.getMessage().contains("BF16"), e.getMessage());
        Conv1dSpec nwc = plain.toBuilder().layout(Layout.NWC).build();
        try (Conv1d op = Conv1d.create(nwc, new float[nwc.weightCount()], new float[4], gemm)) {
            assertFalse(op.bucket(1, 50).gemm(), "NWC data ignores the NCW strategy");
        }
    }

    /** A spec the column copy runs (wav2vec-like, with {@code AUTO}) and one shifted taps run. */
    static List<Conv1dSpec> forms() {
        return List.of(Conv1dSpec.builder(1, 64, 10).stride(5).padding(Padding.SAME).layout(Layout.NCW).build(),
                Conv1dSpec.builder(32, 48, 5).dilation(2).padding(Padding.SAME).layout(Layout.NCW).build());
    }

    @ParameterizedTest
    @MethodSource("forms")
    void aStreamOfWidthsCreatesNoNativeObjectsAndAllocatesNothing(Conv1dSpec spec) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Random r = new Random(6);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        int n = 2;
        int max = 4001;
        int[] widths = r.ints(64, 1000, max + 1).toArray();
        float[][] xs = new float[widths.length][];
        float[][] ys = new float[widths.length][];
        FloatBuffer in = DirectBuffers.allocate(n * spec.inChannels() * max)
                .put(0, RandomCase.uniform(r, n * spec.inChannels() * max, 1));
        try (Conv1d op = Conv1d.create(spec, w, new float[spec.outChannels()],
                Conv1dOptions.defaults().withWidthBuckets(WidthBuckets.defaults()))) {
            assertTrue(op.bucket(n, max).gemm(), "AUTO runs " + spec + " on the gemm");
            for (int i = 0; i < widths.length; i++) {
                xs[i] = RandomCase.uniform(r, op.inputLength(n, widths[i]), 1);
                ys[i] = new float[op.outputLength(n, widths[i])];
            }
            FloatBuffer out = DirectBuffers.allocate(op.outputLength(n, max));
            assertEquals(0, op.warmUp(n, 1000, max));
            for (int i = 0; i < 200; i++) { // compiled before measuring
                int k = i % widths.length;
                op.forward(xs[k], ys[k], n, widths[k]);
                op.forward(in, out, n, widths[(k * 7) % widths.length]);
            }
            long objects = Pointer.totalCount();
            long natives = Pointer.totalBytes();
            long heap = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 300; i++) {
                int k = i % widths.length;
                op.forward(xs[k], ys[k], n, widths[k]);
                op.forward(in, out, n, widths[(k * 7) % widths.length]);
            }
            long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - heap;
            assertTrue(bytes < 1024, bytes + " heap bytes allocated by 600 calls");
            assertTrue(Pointer.totalCount() <= objects, "native objects created by a stream of widths");
            assertTrue(Pointer.totalBytes() <= natives, "native bytes allocated by a stream of widths");
        }
    }

    /** Concurrency specs: one on the column copy, one on shifted taps. */
    static List<Conv1dSpec> concurrentForms() {
        return List.of(Conv1dSpec.builder(3, 24, 7).stride(2).dilation(2).padding(Padding.SAME).layout(Layout.NCW)
                .build(), Conv1dSpec.builder(24, 16, 3).padding(Padding.SAME).layout(Layout.NCW).build());
    }

    @ParameterizedTest
    @MethodSource("concurrentForms")
    void concurrentCallsOfManyWidthsKeepTheirOwnBuffers(Conv1dSpec spec) throws Exception {
        Random r = new Random(7);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        float[] b = RandomCase.uniform(r, spec.outChannels(), 0.5f);
        int[] widths = {1, 2, 13, 97, 256, 1021, 4099};
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        try (Conv1d op = Conv1d.create(spec, w, b, Conv1dOptions.defaults().withNcwStrategy(NcwStrategy.GEMM))) {
            for (int width : widths) {
                float[] x = RandomCase.uniform(r, 2 * spec.inChannels() * width, 1);
                inputs.add(x);
                expected.add(op.forward(x, 2, width));
            }
            Concurrently.onThreads(4, thread -> {
                for (int i = 0; i < 150; i++) {
                    int k = (i * 3 + thread) % widths.length;
                    BucketTest.assertBitIdentical(expected.get(k), op.forward(inputs.get(k), 2, widths[k]),
                            "thread " + thread + " W=" + widths[k]);
                }
            });
        }
    }
}
