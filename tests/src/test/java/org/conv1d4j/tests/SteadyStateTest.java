package org.conv1d4j.tests;

import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.Conv1d;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;
import org.conv1d4j.spec.WidthBuckets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Steady-state calls create no native objects and allocate nothing on the Java heap: after the first call of a
 * (batch, width), a thousand more leave JavaCPP's count of live native objects and its allocated bytes no higher
 * than they were, and the calling thread's allocated bytes within what the measurement itself takes, on the plain
 * path, the reorder path (NCW depthwise), the padding path (reflect), throughput mode, bf16, int8, the NCW sgemm
 * (shifted taps at stride 1, the column copy at stride 2) and width buckets (NCW, and NWC with reflect padding, in
 * batch parts; NWC with no or same padding, a batch as one sequence); through the buffer overload and the array
 * overload that writes the caller's array, on round and on odd sizes. ({@code OpBenchmark} with {@code -prof gc}
 * measures the same per call.)
 */
class SteadyStateTest {
    enum Path {
        PLAIN, REORDER, PADDED, THROUGHPUT, BF16, INT8, GEMM_TAPS, GEMM_COLUMNS, BUCKETED, BUCKETED_EDGE,
        BUCKETED_SEQUENCE, BUCKETED_SEQUENCE_SAME
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void callsCreateNoNativeObjects(Path path) {
        Conv1dSpec.Builder b = Conv1dSpec.builder(16, 16, 3).padding(Padding.SAME).layout(Layout.NWC);
        Conv1dOptions options = shape(path, b, 16);
        Conv1dSpec spec = b.build();
        Random r = new Random(4);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        FloatBuffer in = ByteBuffer.allocateDirect(2 * 16 * 64 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        in.put(0, RandomCase.uniform(r, 2 * 16 * 64, 1));
        FloatBuffer out = ByteBuffer.allocateDirect(2 * 16 * 64 * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        try (Conv1d op = Conv1d.create(spec, w, new float[16], options)) {
            op.forward(in, out, 2, 64);
            long objects = Pointer.totalCount();
            long bytes = Pointer.totalBytes();
            for (int i = 0; i < 1000; i++) {
                op.forward(in, out, 2, 64);
            }
            // at most: the garbage collector may free other tests' forgotten objects meanwhile
            assertTrue(Pointer.totalCount() <= objects, "native objects created by steady-state calls");
            assertTrue(Pointer.totalBytes() <= bytes, "native bytes allocated by steady-state calls");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void oddSizedCallsOnArraysAndAlignedBuffersCreateNoNativeObjects(Path path) {
        // 5 -> 10 channels, N 3, W 97: nothing a multiple of 16
        Conv1dSpec.Builder b = Conv1dSpec.builder(5, 10, 3).padding(Padding.SAME).layout(Layout.NWC);
        Conv1dOptions options = shape(path, b, 5);
        Conv1dSpec spec = b.build();
        Random r = new Random(5);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        try (Conv1d op = Conv1d.create(spec, w, new float[10], options)) {
            float[] x = RandomCase.uniform(r, op.inputLength(3, 97), 1);
            float[] y = new float[op.outputLength(3, 97)];
            FloatBuffer in = DirectBuffers.allocate(x.length).put(0, x);
            FloatBuffer out = DirectBuffers.allocate(y.length);
            op.forward(x, y, 3, 97);
            op.forward(in, out, 3, 97);
            long objects = Pointer.totalCount();
            long bytes = Pointer.totalBytes();
            for (int i = 0; i < 1000; i++) {
                op.forward(x, y, 3, 97);
                op.forward(in, out, 3, 97);
            }
            assertTrue(Pointer.totalCount() <= objects, "native objects created by steady-state calls");
            assertTrue(Pointer.totalBytes() <= bytes, "native bytes allocated by steady-state calls");
            float[] viaBuffer = new float[y.length];
            out.get(0, viaBuffer);
            assertArrayEquals(y, viaBuffer, "arrays and buffers agree");
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void callsAllocateNothingOnTheHeap(Path path) {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Conv1dSpec.Builder b = Conv1dSpec.builder(5, 10, 3).padding(Padding.SAME).layout(Layout.NWC);
        Conv1dOptions options = shape(path, b, 5);
        Conv1dSpec spec = b.build();
        Random r = new Random(6);
        try (Conv1d op = Conv1d.create(spec, RandomCase.uniform(r, spec.weightCount(), 0.3f), new float[10], options)) {
            int[] widths = {97, 61, 89}; // batch 3 runs a bucket in parts of 2 and 1
            float[][] xs = new float[widths.length][];
            float[][] ys = new float[widths.length][];
            for (int i = 0; i < widths.length; i++) {
                xs[i] = RandomCase.uniform(r, op.inputLength(3, widths[i]), 1);
                ys[i] = new float[op.outputLength(3, widths[i])];
            }
            FloatBuffer in = DirectBuffers.allocate(op.inputLength(3, 97)).put(0, xs[0]);
            FloatBuffer out = DirectBuffers.allocate(op.outputLength(3, 97));
            for (int i = 0; i < 3000; i++) { // compiled before measuring
                op.forward(xs[i % 3], ys[i % 3], 3, widths[i % 3]);
                op.forward(in, out, 3, widths[i % 3]);
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 500; i++) {
                op.forward(xs[i % 3], ys[i % 3], 3, widths[i % 3]);
                op.forward(in, out, 3, widths[i % 3]);
            }
            long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            // the measurement itself allocates a little; 1000 calls of even 8 bytes each would be 8000
            assertTrue(bytes < 1024, path + ": " + bytes + " heap bytes allocated by 1000 steady-state calls");
        }
    }

    /** Shapes the spec and options of a path's op: {@code channels} is the builder's input channel count. */
    private static Conv1dOptions shape(Path path, Conv1dSpec.Builder b, int channels) {
        Conv1dOptions options = Conv1dOptions.defaults();
        switch (path) {
            case REORDER -> b.groups(channels).layout(Layout.NCW);
            case PADDED -> b.paddingMode(PaddingMode.REFLECT);
            case THROUGHPUT -> options = options.withThreadsPerCall(1);
            case BF16 -> options = options.withPrecision(Precision.BF16);
            case INT8 -> options = options.withInt8(new Quantization(0.01f, 128));
            case GEMM_TAPS -> {
                b.layout(Layout.NCW);
                options = options.withNcwStrategy(NcwStrategy.GEMM);
            }
            case GEMM_COLUMNS -> {
                b.layout(Layout.NCW).stride(2);
                options = options.withNcwStrategy(NcwStrategy.GEMM);
            }
            case BUCKETED -> {
                // PLAIN: AUTO would run this stride-1 NCW conv on the sgemm's shifted taps (GEMM_TAPS)
                b.layout(Layout.NCW);
                options = options.withWidthBuckets(WidthBuckets.defaults()).withNcwStrategy(NcwStrategy.PLAIN);
            }
            case BUCKETED_SEQUENCE -> { // NWC with no padding: a batch runs as one sequence
                b.padding(Padding.VALID);
                options = options.withWidthBuckets(WidthBuckets.defaults());
            }
            case BUCKETED_SEQUENCE_SAME -> // NWC, same: one sequence, its sample boundaries recomputed on a strip
                    options = options.withWidthBuckets(WidthBuckets.defaults());
            case BUCKETED_EDGE -> {
                b.paddingMode(PaddingMode.REFLECT);
                options = options.withWidthBuckets(WidthBuckets.defaults());
            }
            default -> { }
        }
        return options;
    }
}
