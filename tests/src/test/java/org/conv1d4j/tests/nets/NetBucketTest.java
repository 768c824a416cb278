package org.conv1d4j.tests.nets;

import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.NetOptions;
import org.conv1d4j.io.Npy;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.WidthBuckets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Networks on width buckets: each shared case, in both layouts, on widths around its own (widest first, so that a
 * narrower call finds a staging buffer a wider one wrote; primes among them) runs on its bucket's plan where the
 * network is causal or made of {@code valid} convs (the TCN, the wav2vec front) and on its own width's plan where
 * padding on the right reaches the output (the others), is within the reference's bound either way, and gives the
 * same output through buffers and arrays; a stream of widths creates no native object and allocates nothing;
 * concurrent calls of many widths each get their own staging.
 */
class NetBucketTest {
    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String name : NetCases.names(false)) {
            for (Layout layout : Layout.values()) {
                a.add(Arguments.of(name, layout));
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void runsOnBucketsWhereTheOutputIsTheSame(String name, Layout layout) throws IOException {
        int[] shape = Npy.read(NetCases.file(name, "input.npy")).shape();
        int n = shape[0];
        int w0 = shape[2];
        boolean prefixStable = name.equals("tcn") || name.equals("wav2vec_front");
        Random r = new Random(name.hashCode());
        try (Conv1dNet net = Conv1dNet.load(NetCases.file(name, "model.onnx"),
                NetOptions.defaults().withLayout(layout).withWidthBuckets(WidthBuckets.defaults()))) {
            int c = net.graph().inputChannels();
            int bucketed = 0;
            for (int w : new int[] {w0 + 41, w0 + 7, w0, w0 - 1, w0 - 3}) {
                if (!takes(net, n, w)) {
                    continue;
                }
                int planned = net.plannedWidth(n, w);
                assertTrue(planned >= w, name + " W=" + w + " planned " + planned);
                bucketed += planned > w ? 1 : 0;
                float[] x = NetEngineTest.gaussian(r, n * c * w);
                float[] y = net.forward(x, n, w);
                NetCrossCheck.Report report = NetCrossCheck.compare(net, x, y, n, w);
                assertTrue(report.passed(), name + " " + layout + " W=" + w + " on " + planned + ": " + report);
                FloatBuffer in = DirectBuffers.allocate(x.length + 3).put(3, x).position(3);
                FloatBuffer out = DirectBuffers.allocate(y.length + 5).position(5);
                net.forward(in, out, n, w);
                float[] viaBuffers = new float[y.length];
                out.get(5, viaBuffers);
                assertArrayEquals(y, viaBuffers, name + " W=" + w + ": buffers and arrays agree");
            }
            if (prefixStable) {
                assertTrue(bucketed >= 3, name + ": only " + bucketed + " of 5 widths ran on a bucket");
            } else {
                assertEquals(0, bucketed, name + ": padding on the right reaches the output, so no bucket");
            }
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("symbolicCases")
    void shapeArithmeticIsResolvedForTheBucket(String name, Layout layout) throws Exception {
        // crop: a transposed conv's output cut to a 1x1 conv's width (prefix-stable); unet_pad: a skip branch
        // padded on both sides to the other's width, its left pad a function of W (so no bucket)
        java.nio.file.Path model = java.nio.file.Path.of(
                NetBucketTest.class.getResource("/nets/symbolic/" + name + "/model.onnx").toURI());
        Random r = new Random(name.hashCode());
        try (Conv1dNet net = Conv1dNet.load(model,
                NetOptions.defaults().withLayout(layout).withWidthBuckets(new WidthBuckets(4, 8, 2)))) {
            int c = net.graph().inputChannels();
            int bucketed = 0;
            for (int w : new int[] {13, 11, 8, 7, 5, 4, 3, 2, 1}) {
                if (!takes(net, 1, w)) {
                    continue;
                }
                bucketed += net.plannedWidth(1, w) > w ? 1 : 0;
                float[] x = NetEngineTest.gaussian(r, c * w);
                NetCrossCheck.Report report = NetCrossCheck.check(net, x, 1, w);
                assertTrue(report.passed(), name + " " + layout + " W=" + w + ": " + report);
            }
            assertEquals(name.equals("crop"), bucketed > 0, name + ": " + bucketed + " widths ran on a bucket");
        }
    }

    /**
     * Random networks of every node kind on small buckets: where the analysis lets a width run on its bucket the
     * result must still be within the reference's bound, so a network it wrongly calls prefix-stable fails here.
     */
    @Test
    void randomNetworksOnBucketsMatchTheReference() {
        int checked = 0;
        int bucketed = 0;
        for (long seed = 0; seed < 150; seed++) {
            Random r = new Random(seed);
            org.conv1d4j.net.NetGraph g = NetEngineTest.RandomNet.of(r);
            Layout layout = seed % 3 == 0 ? Layout.NWC : Layout.NCW;
            int n = 1 + r.nextInt(3);
            try (Conv1dNet net = Conv1dNet.create(g, NetOptions.defaults().withLayout(layout)
                    .withWidthBuckets(new WidthBuckets(4, 16, 4)))) {
                for (int w : new int[] {97, 31, 13, 7, 6, 5, 1}) {
                    if (!takes(net, n, w)) {
                        continue;
                    }
                    bucketed += net.plannedWidth(n, w) > w ? 1 : 0;
                    float[] x = NetEngineTest.gaussian(r, n * g.inputChannels() * w);
                    NetCrossCheck.Report report = NetCrossCheck.check(net, x, n, w);
                    assertTrue(report.passed(), "seed " + seed + " " + layout + " N " + n + " W " + w + " on "
                            + net.plannedWidth(n, w) + ": " + report + "\n" + g);
                    checked++;
                }
            }
        }
        System.out.println("random networks on buckets: " + checked + " (network, width) pairs, " + bucketed
                + " on a bucket");
        assertTrue(bucketed > 50, "too few widths ran on a bucket: " + bucketed + " of " + checked);
    }

    static Stream<Arguments> symbolicCases() {
        return Stream.of("crop", "unet_pad").flatMap(n -> Stream.of(Layout.values()).map(l -> Arguments.of(n, l)));
    }

    private static boolean takes(Conv1dNet net, int n, int w) {
        try {
            net.outputShape(n, w);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void concurrentCallsOfManyWidthsKeepTheirOwnStaging() throws Exception {
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("wav2vec_front", "model.onnx"),
                NetOptions.defaults().withWidthBuckets(WidthBuckets.defaults()))) {
            int[] widths = {400, 457, 523, 611, 701, 997};
            for (int w : widths) {
                assertTrue(net.plannedWidth(2, w) > w, "W=" + w + " runs on a bucket");
            }
            NetEngineTest.concurrentCallsGiveTheSequentialBits(net, 2, widths, 60);
        }
    }

    @Test
    void aStreamOfWidthsCreatesNoNativeObjectsAndAllocatesNothing() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("tcn", "model.onnx"),
                NetOptions.defaults().withWidthBuckets(WidthBuckets.defaults()))) {
            int c = net.graph().inputChannels();
            int[] widths = new Random(3).ints(40, 100, 300).toArray();
            float[][] xs = new float[widths.length][];
            float[][] ys = new float[widths.length][];
            for (int i = 0; i < widths.length; i++) {
                xs[i] = NetEngineTest.gaussian(new Random(i), 2 * c * widths[i]);
                ys[i] = new float[net.outputShape(2, widths[i])[1] * 2 * net.outputShape(2, widths[i])[2]];
            }
            FloatBuffer in = DirectBuffers.allocate(2 * c * 300).put(0, xs[0], 0, xs[0].length);
            FloatBuffer out = DirectBuffers.allocate(net.outputShape(2, 300)[1] * 2 * 300);
            for (int i = 0; i < 200; i++) {
                int k = i % widths.length;
                net.forward(xs[k], ys[k], 2, widths[k]);
                net.forward(in, out, 2, widths[(k * 7) % widths.length]);
            }
            long objects = Pointer.totalCount();
            long natives = Pointer.totalBytes();
            long heap = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 200; i++) {
                int k = i % widths.length;
                net.forward(xs[k], ys[k], 2, widths[k]);
                net.forward(in, out, 2, widths[(k * 7) % widths.length]);
            }
            long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - heap;
            assertTrue(bytes < 1024, bytes + " heap bytes allocated by 400 bucketed calls");
            assertTrue(Pointer.totalCount() <= objects, "native objects created by a stream of widths");
            assertTrue(Pointer.totalBytes() <= natives, "native bytes allocated by a stream of widths");
        }
    }
}
