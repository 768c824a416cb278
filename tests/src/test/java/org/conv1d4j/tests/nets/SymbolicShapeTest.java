package org.conv1d4j.tests.nets;

import org.conv1d4j.Conv1d;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.NetOptions;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.Npy;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetPlanReport;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.net.WidthExpr;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shape arithmetic on symbolic widths, resolved when a network is planned for an (N, W): the U-Net skip padding
 * and the crop to another tensor's width as PyTorch 1.13 exports them, products and quotients of widths, on every
 * engine, against the reference and against an expectation computed here from single ops; the refusals that remain.
 */
class SymbolicShapeTest {
    private static final NetOptions REF = NetOptions.defaults().withEngine(Engine.REFERENCE);
    private static final NetOptions[] ENGINES = {REF, NetOptions.defaults(),
        NetOptions.defaults().withEngine(Engine.ONEDNN_1D)};
    private static final int[] WIDTHS = {1, 2, 3, 5, 7, 8, 13, 16, 31};

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }

    // ---- the expectation, from single ops and loops ----

    private static float[] conv(Conv1dSpec s, float[] w, float[] b, float[] x, int n, int width) {
        try (Conv1d op = Conv1d.create(s, w, b, Engine.REFERENCE)) {
            return op.forward(x, n, width);
        }
    }

    /** Zero padding {@code [left, right]} of an NCW tensor. */
    private static float[] pad(float[] x, int n, int c, int w, int left, int right) {
        int ow = w + left + right;
        float[] y = new float[n * c * ow];
        for (int nc = 0; nc < n * c; nc++) {
            System.arraycopy(x, nc * w, y, nc * ow + left, w);
        }
        return y;
    }

    /** Columns {@code [from, to)} of an NCW tensor. */
    private static float[] crop(float[] x, int n, int c, int w, int from, int to) {
        float[] y = new float[n * c * (to - from)];
        for (int nc = 0; nc < n * c; nc++) {
            System.arraycopy(x, nc * w + from, y, nc * (to - from), to - from);
        }
        return y;
    }

    private static float[] add(float[] a, float[] b) {
        float[] y = new float[a.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = a[i] + b[i];
        }
        return y;
    }

    private static float[] concat(float[] a, int ca, float[] b, int cb, int n, int w) {
        float[] y = new float[a.length + b.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * ca * w, y, i * (ca + cb) * w, ca * w);
            System.arraycopy(b, i * cb * w, y, (i * (ca + cb) + ca) * w, cb * w);
        }
        return y;
    }

    /**
     * Each engine's output against the expectation: the reference exactly (it runs the same float32 ops);
     * oneDNN against the reference ({@link NetCrossCheck}) and against the expectation, both within the bound the
     * library derives for its chain ({@link ErrorBound}).
     */
    private static void check(Conv1dNet net, float[] x, float[] want, int n, int w, String what) {
        float[] got = net.forward(x, n, w);
        assertEquals(want.length, got.length, what + ": output length");
        if (net.options().engine() == Engine.REFERENCE) {
            assertArrayEquals(want, got, 0f, what); // equal values (ReLU may give -0 where the loop gives 0)
            return;
        }
        NetCrossCheck.Report c = NetCrossCheck.compare(net, x, got, n, w);
        assertTrue(c.passed(), what + ": " + c);
        double err = 0;
        for (int i = 0; i < got.length; i++) {
            err = Math.max(err, Math.abs((double) got[i] - want[i]) / (1 + Math.abs(want[i])));
        }
        double bound = ErrorBound.of(net.graph(), x, n, w, true);
        assertTrue(err <= bound, what + ": error " + err + " against the expectation exceeds the bound " + bound);
    }

    // ---- the U-Net skip padding ----

    /** Weights of the U-Net test model. */
    // the arrays are the test's parameters, read as given, never compared
    @SuppressWarnings("ArrayRecordComponent")
    private record UNet(Conv1dSpec skip, float[] ws, float[] bs, Conv1dSpec down, float[] wd, float[] bd,
                        Conv1dSpec head, float[] wh, float[] bh) {
        static UNet random(Random r) {
            Conv1dSpec skip = Conv1dSpec.builder(2, 3, 1).build();
            Conv1dSpec down = Conv1dSpec.builder(2, 3, 3).stride(2).padding(Padding.explicit(1, 1)).build();
            Conv1dSpec head = Conv1dSpec.builder(3, 3, 1).build();
            return new UNet(skip, SymbolicShapeTest.random(r, skip.weightCount()), SymbolicShapeTest.random(r, 3),
                    down, SymbolicShapeTest.random(r, down.weightCount()), SymbolicShapeTest.random(r, 3),
                    head, SymbolicShapeTest.random(r, head.weightCount()), SymbolicShapeTest.random(r, 3));
        }
    }

    /**
     * {@code skip = conv1x1(x); y = down(x); d = skip.size(2) - y.size(2); y = F.pad(y, [d // 2, d - d // 2])}
     * ({@code down}: K 3, stride 2, pads 1, or as drawn), node for node as PyTorch 1.13 exports it at opset 13 (the floor division
     * of sizes as {@code Div -> Cast -> Cast}, the pads through {@code ConstantOfShape, Concat, Reshape, Slice} with
     * step -1, {@code Transpose, Reshape, Cast}); then {@code y + skip}, or with {@code head} a 1x1 conv on the padded
     * tensor (where the pad folds into its padding) concatenated with the skip.
     */
    private static byte[] unetModel(UNet u, boolean head) {
        OnnxModels m = OnnxModels.withInput("x", 2).floats("ws", u.ws(), 3, 2, 1).floats("bs", u.bs(), 3)
                .floats("wd", u.wd(), 3, 2, u.down().kernelSize()).floats("bd", u.bd(), 3).floats("wh", u.wh(), 3, 3, 1)
                .floats("bh", u.bh(), 3).longs("c2", new long[] {2}).longs("axes0", new long[] {0}, 1)
                .longs("zero1", new long[] {0}, 1).longs("six", new long[] {6}).longs("shape32", new long[] {-1, 2}, 2)
                .longs("minus1", new long[] {-1}, 1).longs("most", new long[] {-Long.MAX_VALUE}, 1)
                .longs("flat", new long[] {-1}, 1);
        m.node("Conv", new String[] {"x", "ws", "bs"}, "skip", "kernel_shape", new long[] {1});
        Conv1dSpec d = u.down();
        m.node("Conv", new String[] {"x", "wd", "bd"}, "y", "kernel_shape", new long[] {d.kernelSize()}, "strides",
                new long[] {d.stride()}, "dilations", new long[] {d.dilation()}, "pads",
                new long[] {d.padding().left(), d.padding().right()});
        m.node("Shape", new String[] {"skip"}, "s0");
        m.node("Gather", new String[] {"s0", "c2"}, "wskip", "axis", 0);
        m.node("Shape", new String[] {"y"}, "s1");
        m.node("Gather", new String[] {"s1", "c2"}, "wy", "axis", 0);
        m.node("Sub", new String[] {"wskip", "wy"}, "d");
        m.node("Div", new String[] {"d", "c2"}, "half");
        m.node("Cast", new String[] {"half"}, "half64", "to", 7);
        m.node("Cast", new String[] {"half64"}, "left", "to", 7);
        m.node("Sub", new String[] {"d", "left"}, "right");
        m.node("Unsqueeze", new String[] {"left", "axes0"}, "ul");
        m.node("Unsqueeze", new String[] {"right", "axes0"}, "ur");
        m.node("Concat", new String[] {"ul", "ur"}, "lr", "axis", 0);
        m.node("Shape", new String[] {"lr"}, "slr");
        m.node("Gather", new String[] {"slr", "zero1"}, "len", "axis", 0);
        m.node("Sub", new String[] {"six", "len"}, "ext");
        m.node("Cast", new String[] {"lr"}, "lr64", "to", 7);
        m.node("ConstantOfShape", new String[] {"ext"}, "zeros", "value",
                TensorProto.newBuilder().setDataType(7).addDims(1).addInt64Data(0).build());
        m.node("Concat", new String[] {"lr64", "zeros"}, "p6", "axis", 0);
        m.node("Reshape", new String[] {"p6", "shape32"}, "p32");
        m.node("Slice", new String[] {"p32", "minus1", "most", "zero1", "minus1"}, "rev");
        m.node("Transpose", new String[] {"rev"}, "tr", "perm", new long[] {1, 0});
        m.node("Reshape", new String[] {"tr", "flat"}, "pflat");
        m.node("Cast", new String[] {"pflat"}, "pads", "to", 7);
        m.node("Pad", new String[] {"y", "pads", ""}, "yp", "mode", "constant").setName("/Pad");
        if (head) {
            m.node("Conv", new String[] {"yp", "wh", "bh"}, "z", "kernel_shape", new long[] {1});
            m.node("Concat", new String[] {"z", "skip"}, "out", "axis", 1);
        } else {
            m.node("Add", new String[] {"yp", "skip"}, "out");
        }
        return m.bytes("out");
    }

    /** The U-Net model's output computed from single ops, the pads worked out here. */
    private static float[] unetExpected(UNet u, boolean head, float[] x, int n, int w) {
        float[] skip = conv(u.skip(), u.ws(), u.bs(), x, n, w);
        float[] y = conv(u.down(), u.wd(), u.bd(), x, n, w);
        int wy = (w + 2 - 3) / 2 + 1;
        int d = w - wy;
        int left = d / 2; // d >= 0 here: truncation and floor agree
        float[] yp = pad(y, n, 3, wy, left, d - left);
        if (!head) {
            return add(yp, skip);
        }
        return concat(conv(u.head(), u.wh(), u.bh(), yp, n, w), 3, skip, 3, n, w);
    }

    @Test
    void uNetSkipPaddingAtOddAndEvenWidthsOnEveryEngine() {
        Random r = new Random(12);
        UNet u = UNet.random(r);
        for (boolean head : new boolean[] {false, true}) {
            byte[] model = unetModel(u, head);
            for (NetOptions options : ENGINES) {
                try (Conv1dNet net = Conv1dNet.load(model, options)) {
                    assertTrue(net.graph().symbolic());
                    for (int round = 0; round < 2; round++) { // the second round runs on cached plans and fusions
                        for (int w : WIDTHS) {
                            int n = 1 + (w % 3);
                            float[] x = random(r, n * 2 * w);
                            check(net, x, unetExpected(u, head, x, n, w), n, w,
                                    options.engine() + (head ? " head" : " add") + " W " + w);
                        }
                    }
                }
            }
        }
    }

    /** After resolution the pad is a concrete one, which the fusion folds into the 1x1 conv that reads it. */
    @Test
    void aResolvedPadFoldsIntoTheConvThatReadsIt() {
        UNet u = UNet.random(new Random(3));
        try (Conv1dNet net = Conv1dNet.load(unetModel(u, true))) {
            PadNode pad = (PadNode) net.graph().nodes().stream().filter(p -> p instanceof PadNode).findFirst()
                    .orElseThrow();
            assertTrue(pad.symbolic());
            assertEquals("(W(skip) - W(y)) / 2", pad.leftExpr().toString());
            assertThrows(IllegalStateException.class, pad::left);
            for (int w : new int[] {7, 8}) {
                NetGraph resolved = net.graph().resolve(1, w);
                assertFalse(resolved.symbolic());
                PadNode concrete = (PadNode) resolved.nodes().stream().filter(p -> p instanceof PadNode).findFirst()
                        .orElseThrow();
                int wy = (w - 1) / 2 + 1;
                assertEquals((w - wy) / 2, concrete.left());
                assertEquals(w - wy - (w - wy) / 2, concrete.right());
                NetPlanReport plan = net.plan(1, w);
                boolean folded = plan.steps().stream().anyMatch(s -> s.nodes().contains("/Pad")
                        && s.nodes().size() > 1);
                assertTrue(folded, "W " + w + ": " + plan);
            }
        }
    }

    /**
     * More widths than the plan cache (8) and the fusion cache (16) hold, twice over, each giving other pads: plans
     * and fusions evicted and made again stay right; then a steady-state call on a planned width allocates nothing
     * (no resolution, no fusion: the plan cache answers first).
     */
    @Test
    void manyWidthsCycleThroughTheCachesAndASteadyCallAllocatesNothing() {
        Random r = new Random(9);
        UNet u = UNet.random(r);
        try (Conv1dNet net = Conv1dNet.load(unetModel(u, true))) {
            for (int round = 0; round < 2; round++) {
                for (int w = 1; w <= 40; w++) {
                    float[] x = random(r, 2 * w);
                    check(net, x, unetExpected(u, true, x, 1, w), 1, w, "round " + round + " W " + w);
                }
            }
            var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
            int w = 29;
            float[] x = random(r, 2 * 2 * w);
            float[] y = new float[net.outputShape(2, w)[1] * 2 * w];
            for (int i = 0; i < 20; i++) {
                net.forward(x, y, 2, w);
            }
            long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 200; i++) {
                net.forward(x, y, 2, w);
            }
            long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            // the measurement itself allocates a little; 200 calls of even 8 bytes each would be 1600
            assertTrue(bytes < 1024, bytes + " bytes allocated by 200 steady-state calls");
        }
    }

    /**
     * The skip padding after random down-sampling convs (kernel, stride, dilation, padding drawn per seed), with a
     * 1x1 conv and a BatchNormalization after the pad: on oneDNN the pad folds into the conv and the BatchNorm into
     * its weights, once per set of pads, the native weights shared; against single ops and loops here, on the
     * reference exactly and on oneDNN within the bound. A down conv wider than the skip makes a negative pad, refused
     * naming the node.
     */
    @Test
    void randomDownSamplingThenSkipPaddingAndBatchNormOnEveryEngine() {
        int ran = 0;
        int refused = 0;
        for (long seed = 0; seed < 24; seed++) {
            Random r = new Random(seed);
            int k = 1 + r.nextInt(5);
            int stride = 1 + r.nextInt(3);
            int dilation = 1 + r.nextInt(2);
            int p = r.nextInt(3);
            Conv1dSpec down = Conv1dSpec.builder(2, 3, k).stride(stride).dilation(dilation)
                    .padding(Padding.explicit(p, p)).build();
            UNet base = UNet.random(r);
            UNet u = new UNet(base.skip(), base.ws(), base.bs(), down, random(r, down.weightCount()), random(r, 3),
                    base.head(), base.wh(), base.bh());
            float[][] bn = {random(r, 3), random(r, 3), random(r, 3), new float[] {0.5f + r.nextFloat(),
                0.5f + r.nextFloat(), 0.5f + r.nextFloat()}};
            byte[] model = withBatchNorm(unetModel(u, true), bn);
            for (NetOptions options : ENGINES) {
                try (Conv1dNet net = Conv1dNet.load(model, options)) {
                    for (int w : WIDTHS) {
                        int n = 1 + r.nextInt(2);
                        float[] x = random(r, n * 2 * w);
                        if (w + 2 * p < (k - 1) * dilation + 1) {
                            continue; // the down conv does not fit: no pad to check
                        }
                        int wy = down.geometry(w).outWidth();
                        if (wy > w) {
                            String why = assertThrows(IllegalArgumentException.class, () -> net.forward(x, n, w))
                                    .getMessage();
                            assertTrue(why.contains("'/Pad' (Pad)") && why.contains("pads"), why);
                            refused++;
                            continue;
                        }
                        check(net, x, batchNormExpected(u, bn, x, n, w, wy), n, w,
                                "seed " + seed + " " + down + " " + options.engine() + " W " + w);
                        ran++;
                    }
                }
            }
        }
        assertTrue(ran > 300 && refused > 0, ran + " runs, " + refused + " refused");
    }

    /** The U-Net model with {@code BatchNormalization(scale, B, mean, var)} between the head conv and the concat. */
    private static byte[] withBatchNorm(byte[] model, float[][] bn) {
        try {
            var m = org.conv1d4j.onnx.proto.Onnx.ModelProto.parseFrom(model).toBuilder();
            var g = m.getGraphBuilder();
            String[] names = {"bn_scale", "bn_b", "bn_mean", "bn_var"};
            for (int i = 0; i < 4; i++) {
                g.addInitializer(org.conv1d4j.bench.OnnxProtos.floats(names[i], bn[i], 3));
            }
            int concat = g.getNodeCount() - 1;
            g.setNode(concat, g.getNode(concat).toBuilder().setInput(0, "zb"));
            g.addNode(concat, org.conv1d4j.onnx.proto.Onnx.NodeProto.newBuilder().setOpType("BatchNormalization")
                    .setName("/bn").addInput("z").addAllInput(java.util.List.of(names)).addOutput("zb"));
            return m.build().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** As {@link #unetExpected} with the head, and BatchNorm as the reference computes it (ONNX's epsilon 1e-5). */
    private static float[] batchNormExpected(UNet u, float[][] bn, float[] x, int n, int w, int wy) {
        float[] skip = conv(u.skip(), u.ws(), u.bs(), x, n, w);
        float[] y = conv(u.down(), u.wd(), u.bd(), x, n, w);
        int d = w - wy;
        float[] z = conv(u.head(), u.wh(), u.bh(), pad(y, n, 3, wy, d / 2, d - d / 2), n, w);
        double eps = 1e-5f; // the importer reads the attribute as a float
        for (int i = 0; i < z.length; i++) {
            int c = (i / w) % 3;
            double inv = 1 / Math.sqrt(bn[3][c] + eps);
            z[i] = (float) ((double) bn[0][c] * ((z[i] - (double) bn[2][c]) * inv) + bn[1][c]);
        }
        return concat(z, 3, skip, 3, n, w);
    }

    // ---- crop to another tensor's width ----

    /**
     * {@code a = conv1x1(x); b = conv_transpose1d(x, K 4, stride 2); b[:, :, :a.size(2)] + a}, as PyTorch 1.13
     * exports it ({@code Shape -> Gather -> Unsqueeze -> Slice}).
     */
    @Test
    void cropToAnotherTensorsWidthOnEveryEngine() {
        Random r = new Random(5);
        Conv1dSpec a = Conv1dSpec.builder(2, 3, 1).build();
        Conv1dSpec b = Conv1dSpec.builder(2, 3, 4).op(Op.CONV_TRANSPOSE1D).stride(2).build();
        float[] wa = random(r, a.weightCount());
        float[] ba = random(r, 3);
        float[] wb = random(r, b.weightCount());
        float[] bb = random(r, 3);
        OnnxModels m = OnnxModels.withInput("x", 2).floats("wa", wa, 3, 2, 1).floats("ba", ba, 3)
                .floats("wb", wb, 2, 3, 4).floats("bb", bb, 3).longs("c2", new long[] {2})
                .longs("zero1", new long[] {0}, 1).longs("axis2", new long[] {2}, 1).longs("one1", new long[] {1}, 1);
        m.node("Conv", new String[] {"x", "wa", "ba"}, "a", "kernel_shape", new long[] {1});
        m.node("ConvTranspose", new String[] {"x", "wb", "bb"}, "b", "kernel_shape", new long[] {4}, "strides",
                new long[] {2});
        m.node("Shape", new String[] {"a"}, "sa");
        m.node("Gather", new String[] {"sa", "c2"}, "wa2", "axis", 0);
        m.node("Unsqueeze", new String[] {"wa2", "zero1"}, "end");
        m.node("Slice", new String[] {"b", "zero1", "end", "axis2", "one1"}, "bc");
        m.node("Add", new String[] {"bc", "a"}, "out");
        byte[] model = m.bytes("out");
        for (NetOptions options : ENGINES) {
            try (Conv1dNet net = Conv1dNet.load(model, options)) {
                SliceNode s = (SliceNode) net.graph().nodes().stream().filter(p -> p instanceof SliceNode).findFirst()
                        .orElseThrow();
                assertEquals("W(a)", s.endExpr().toString());
                for (int w : WIDTHS) {
                    int n = 2;
                    float[] x = random(r, n * 2 * w);
                    float[] big = conv(b, wb, bb, x, n, w);
                    float[] want = add(crop(big, n, 3, 2 * w + 2, 0, w), conv(a, wa, ba, x, n, w));
                    check(net, x, want, n, w, options.engine() + " W " + w);
                }
            }
        }
    }

    /**
     * A tensor read only for its width (a branch whose output nothing else reads) is still computed, before the
     * node whose arithmetic reads it.
     */
    @Test
    void aTensorReadOnlyForItsWidthIsKept() {
        Random r = new Random(6);
        Conv1dSpec side = Conv1dSpec.builder(2, 2, 3).build(); // valid: W - 2
        float[] ws = random(r, side.weightCount());
        OnnxModels m = OnnxModels.withInput("x", 2).floats("ws", ws, 2, 2, 3).longs("c2", new long[] {2})
                .longs("zero1", new long[] {0}, 1).longs("axis2", new long[] {2}, 1);
        m.node("Relu", new String[] {"x"}, "rx");
        m.node("Conv", new String[] {"x", "ws"}, "narrow", "kernel_shape", new long[] {3});
        m.node("Shape", new String[] {"narrow"}, "sn");
        m.node("Gather", new String[] {"sn", "c2"}, "wn", "axis", 0);
        m.node("Unsqueeze", new String[] {"wn", "zero1"}, "end");
        m.node("Slice", new String[] {"rx", "zero1", "end", "axis2"}, "out");
        byte[] model = m.bytes("out");
        for (NetOptions options : ENGINES) {
            try (Conv1dNet net = Conv1dNet.load(model, options)) {
                for (int w : new int[] {3, 4, 11}) {
                    float[] x = random(r, 2 * w);
                    float[] rx = x.clone();
                    for (int i = 0; i < rx.length; i++) {
                        rx[i] = Math.max(rx[i], 0);
                    }
                    check(net, x, crop(rx, 1, 2, w, 0, w - 2), 1, w, options.engine() + " W " + w);
                }
            }
        }
    }

    // ---- products, quotients and remainders of widths ----

    /** {@code Shape(x)[2]} as {@code wx}, with the model's name for each op. */
    private static OnnxModels widthModel() {
        OnnxModels m = OnnxModels.withInput("x", 2).longs("c2", new long[] {2}).longs("c3", new long[] {3})
                .longs("c5", new long[] {5}).longs("c4", new long[] {4}).longs("zero1", new long[] {0}, 1)
                .longs("axis2", new long[] {2}, 1).longs("zeros2", new long[] {0, 0}, 2)
                .longs("zeros3", new long[] {0, 0, 0}, 3);
        m.node("Shape", new String[] {"x"}, "sx");
        m.node("Gather", new String[] {"sx", "c2"}, "wx", "axis", 0);
        return m;
    }

    /** Pads {@code [W / 2, (3 W) mod 5]}, then keeps {@code [W_padded * 3 / 4 - 1, Max(W_padded, 4) * 2)}. */
    @Test
    void mulDivModMaxOfWidthsOnEveryEngine() {
        OnnxModels m = widthModel();
        m.node("Div", new String[] {"wx", "c2"}, "left");
        m.node("Mul", new String[] {"wx", "c3"}, "w3");
        m.node("Mod", new String[] {"w3", "c5"}, "right");
        m.node("Unsqueeze", new String[] {"left", "zero1"}, "ul");
        m.node("Unsqueeze", new String[] {"right", "zero1"}, "ur");
        m.node("Concat", new String[] {"zeros2", "ul", "zeros2", "ur"}, "pads", "axis", 0);
        m.node("Pad", new String[] {"x", "pads"}, "p", "mode", "constant");
        m.node("Shape", new String[] {"p"}, "sp");
        m.node("Gather", new String[] {"sp", "c2"}, "wp", "axis", 0);
        m.node("Mul", new String[] {"wp", "c3"}, "wp3");
        m.node("Div", new String[] {"wp3", "c4"}, "q");
        m.node("Neg", new String[] {"c2"}, "minus2");
        m.node("Add", new String[] {"q", "minus2"}, "q2");
        m.node("Max", new String[] {"wp", "c4"}, "mx");
        m.node("Mul", new String[] {"mx", "c2"}, "e");
        m.node("Unsqueeze", new String[] {"q2", "zero1"}, "start");
        m.node("Unsqueeze", new String[] {"e", "zero1"}, "end");
        m.node("Slice", new String[] {"p", "start", "end", "axis2"}, "out");
        byte[] model = m.bytes("out");
        Random r = new Random(7);
        for (NetOptions options : ENGINES) {
            try (Conv1dNet net = Conv1dNet.load(model, options)) {
                for (int w : WIDTHS) {
                    int left = w / 2;
                    int right = 3 * w % 5;
                    int wp = w + left + right;
                    int start = wp * 3 / 4 - 2; // at least 1 for every width: wp >= 4
                    float[] x = random(r, 2 * w);
                    float[] want = crop(pad(x, 1, 2, w, left, right), 1, 2, wp, start, wp);
                    check(net, x, want, 1, w, options.engine() + " W " + w);
                }
            }
        }
    }

    // ---- what is refused ----

    private static String refusedAtLoad(byte[] model) {
        return assertThrows(InvalidInputException.class, () -> Conv1dNet.load(model, REF)).getMessage();
    }

    /** A pad that a width makes negative, an empty slice, a division by zero: refused per (N, W), naming the node. */
    @Test
    void valuesAWidthCannotTakeAreRefusedWhenPlannedNamingTheNode() {
        OnnxModels neg = widthModel();
        neg.node("Sub", new String[] {"wx", "c5"}, "left");
        neg.node("Unsqueeze", new String[] {"left", "zero1"}, "ul");
        neg.node("Concat", new String[] {"zeros2", "ul", "zeros3"}, "pads", "axis", 0);
        neg.node("Pad", new String[] {"x", "pads"}, "out").setName("/NegPad");
        OnnxModels empty = widthModel();
        empty.node("Sub", new String[] {"wx", "c3"}, "s");
        empty.node("Mul", new String[] {"s", "c2"}, "s2");
        empty.node("Mul", new String[] {"wx", "c2"}, "e");
        empty.node("Unsqueeze", new String[] {"s2", "zero1"}, "start");
        empty.node("Unsqueeze", new String[] {"e", "zero1"}, "end");
        empty.node("Slice", new String[] {"x", "start", "end", "axis2"}, "out").setName("/Crop");
        OnnxModels zero = widthModel();
        zero.node("Sub", new String[] {"wx", "c4"}, "den");
        zero.node("Div", new String[] {"c5", "den"}, "left");
        zero.node("Unsqueeze", new String[] {"left", "zero1"}, "ul");
        zero.node("Concat", new String[] {"zeros2", "ul", "zeros3"}, "pads", "axis", 0);
        zero.node("Pad", new String[] {"x", "pads"}, "out").setName("/DivPad");
        for (NetOptions options : ENGINES) {
            try (Conv1dNet a = Conv1dNet.load(neg.bytes("out"), options);
                    Conv1dNet b = Conv1dNet.load(empty.bytes("out"), options);
                    Conv1dNet c = Conv1dNet.load(zero.bytes("out"), options)) {
                assertEquals(1, a.forward(new float[2 * 6], 1, 6).length / 2 - 6, "W 6 pads [1, 0]");
                String why = assertThrows(IllegalArgumentException.class, () -> a.forward(new float[2 * 4], 1, 4))
                        .getMessage();
                assertTrue(why.contains("'/NegPad' (Pad)") && why.contains("pads") && why.contains("-1"), why);
                // [2 (W - 3), 2 W): W 4 keeps [2, 4), W 6 starts at its end
                assertEquals(2 * 2, b.forward(new float[2 * 4], 1, 4).length);
                why = assertThrows(IllegalArgumentException.class, () -> b.forward(new float[2 * 6], 1, 6)).getMessage();
                assertTrue(why.contains("'/Crop' (Slice)") && why.contains("empty")
                        && why.contains("[(W(x) - 3) * 2, W(x) * 2) = [6, 12)"), why);
                why = assertThrows(IllegalArgumentException.class, () -> c.forward(new float[2 * 4], 1, 4)).getMessage();
                assertTrue(why.contains("'/DivPad' (Pad)") && why.contains("divides by zero"), why);
                assertEquals(2 * (5 + 5), c.forward(new float[2 * 5], 1, 5).length, "W 5 pads left 5 / 1");
            }
        }
    }

    /**
     * What still needs a number at load time refuses a width, naming the node: a width turned into a float, a shape
     * ({@code ConstantOfShape}), a pad of another axis than W, a comparison ({@code Equal}, never written by the
     * exporters for these idioms), and arithmetic that grows past {@link WidthExpr#MAX_SIZE} terms.
     */
    @Test
    void whatNeedsANumberAtLoadTimeRefusesAWidthByName() {
        OnnxModels cast = widthModel();
        cast.node("Cast", new String[] {"wx"}, "f", "to", 1);
        cast.node("Relu", new String[] {"x"}, "out");
        String why = refusedAtLoad(cast.bytes("out"));
        assertTrue(why.contains("(Cast)") && why.contains("symbolic batch or width") && why.contains("W(x)"), why);

        OnnxModels shape = widthModel();
        shape.node("Unsqueeze", new String[] {"wx", "zero1"}, "dims");
        shape.node("ConstantOfShape", new String[] {"dims"}, "z");
        shape.node("Relu", new String[] {"x"}, "out");
        why = refusedAtLoad(shape.bytes("out"));
        assertTrue(why.contains("(ConstantOfShape)") && why.contains("symbolic batch or width"), why);

        OnnxModels channels = widthModel();
        channels.node("Unsqueeze", new String[] {"wx", "zero1"}, "ul");
        channels.node("Concat", new String[] {"zero1", "ul", "zeros2", "zeros2"}, "pads", "axis", 0);
        channels.node("Pad", new String[] {"x", "pads"}, "out");
        why = refusedAtLoad(channels.bytes("out"));
        assertTrue(why.contains("(Pad)") && why.contains("only W (axis 2) may be padded") && why.contains("W(x)"), why);

        OnnxModels equal = widthModel();
        equal.node("Equal", new String[] {"wx", "c2"}, "eq");
        equal.node("Relu", new String[] {"x"}, "out");
        why = refusedAtLoad(equal.bytes("out"));
        assertTrue(why.contains("(Equal)"), why);

        OnnxModels big = widthModel();
        String cur = "wx";
        for (int i = 0; i < 8; i++) { // each Add doubles the expression: 2^8 widths
            big.node("Add", new String[] {cur, cur}, "sum" + i);
            cur = "sum" + i;
        }
        big.node("Unsqueeze", new String[] {cur, "zero1"}, "end");
        big.node("Slice", new String[] {"x", "zero1", "end", "axis2"}, "out");
        why = refusedAtLoad(big.bytes("out"));
        assertTrue(why.contains("(Add)") && why.contains("more than " + WidthExpr.MAX_SIZE), why);

        OnnxModels many = widthModel().longs("ones", new long[1 << 13], 1 << 13);
        many.node("Add", new String[] {"ones", "wx"}, "spread"); // 8192 expressions: refused before computing them
        many.node("Relu", new String[] {"x"}, "out");
        why = refusedAtLoad(many.bytes("out"));
        assertTrue(why.contains("(Add)") && why.contains("8192 values") && why.contains("symbolic batch or width"), why);
    }

    // ---- the arithmetic itself ----

    @Test
    void widthArithmeticFollowsOnnxIntegerSemantics() {
        WidthExpr w = WidthExpr.widthOf("t");
        Map<String, Integer> widths = Map.of("t", -7 + 100);
        WidthExpr x = w.minus(WidthExpr.constant(100)); // -7
        assertEquals(-3, x.div(WidthExpr.constant(2)).evaluate(widths::get, 1), "Div truncates toward zero");
        assertEquals(1, x.mod(WidthExpr.constant(2), false).evaluate(widths::get, 1), "Mod: the divisor's sign");
        assertEquals(-1, x.mod(WidthExpr.constant(2), true).evaluate(widths::get, 1), "fmod: the dividend's sign");
        assertEquals(7, x.negate().evaluate(widths::get, 1));
        assertEquals(-7, x.min(WidthExpr.batch()).evaluate(widths::get, 4));
        assertEquals(4, x.max(WidthExpr.batch()).evaluate(widths::get, 4));
        assertEquals(WidthExpr.constant(-3), WidthExpr.constant(-7).div(WidthExpr.constant(2)), "constants fold");
        assertEquals("(W(t) - 100) / 2", x.div(WidthExpr.constant(2)).toString());
        assertEquals(w.plus(WidthExpr.constant(1)), WidthExpr.widthOf("t").plus(WidthExpr.constant(1)));
        assertEquals(-3, w.minus(WidthExpr.constant(2)).minus(WidthExpr.constant(1)).offsetFromWidthOf("t")
                .getAsLong());
        assertTrue(w.times(WidthExpr.constant(2)).offsetFromWidthOf("t").isEmpty());
        String why = assertThrows(IllegalArgumentException.class,
                () -> WidthExpr.constant(1).div(w).evaluate(t -> 0, 1)).getMessage();
        assertTrue(why.contains("divides by zero"), why);
        assertThrows(IllegalArgumentException.class, () -> w.div(WidthExpr.constant(0)));
    }

    @Test
    void theJavaApiTakesExpressionsAndKeepsTheNumericConstructors() {
        NetGraph g = NetGraph.builder("x", 2)
                .add(new org.conv1d4j.net.PointwiseNode("r", "x", "a", org.conv1d4j.net.Pointwise.RELU, 0, 0))
                .add(new PadNode("p", "x", "b", WidthExpr.constant(1),
                        WidthExpr.widthOf("a").div(WidthExpr.constant(2)), PaddingMode.ZEROS))
                .add(new SliceNode("s", "b", "c", WidthExpr.constant(0), WidthExpr.widthOf("x").plus(WidthExpr.batch())))
                .build("c");
        assertTrue(g.symbolic());
        assertEquals(8, g.outputShape(3, 5)[2], "pads [1, W / 2], then the slice's end W + N = 8");
        assertEquals(6, g.outputShape(1, 5)[2], "slice end W + N = 6");
        assertEquals(new PadNode("p", "x", "b", 1, 2, PaddingMode.ZEROS),
                ((PadNode) g.resolve(1, 5).nodes().get(1)).resolve(t -> 5, 1));
        assertEquals(-2, new SliceNode("s", "x", "y", 0, -2).end());
        String why = assertThrows(InvalidInputException.class, () -> NetGraph.builder("x", 2)
                .add(new PadNode("p", "x", "b", WidthExpr.constant(0), WidthExpr.widthOf("nowhere"), PaddingMode.ZEROS))
                .build("b")).getMessage();
        assertTrue(why.contains("'p' (Pad)") && why.contains("width of 'nowhere'"), why);
        assertThrows(IllegalArgumentException.class,
                () -> new PadNode("p", "x", "b", WidthExpr.constant(-1), WidthExpr.widthOf("x"), PaddingMode.ZEROS));
    }

    // ---- PyTorch's own export ----

    private static Path fixture(String name, String file) {
        try {
            return Path.of(SymbolicShapeTest.class.getResource("/nets/symbolic/" + name + "/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The two idioms exported by PyTorch 1.13 ({@code nets/symbolic/make_fixtures.py}), at each width the script
     * ran them on in float64: every engine within the bound {@link ErrorBound} derives.
     */
    @Test
    void pytorchExportsMatchTheirFloat64Outputs() throws IOException {
        Map<String, int[]> cases = Map.of("unet_pad", new int[] {3, 4, 7, 8, 13}, "crop", new int[] {1, 2, 5, 11});
        for (Map.Entry<String, int[]> c : cases.entrySet()) {
            for (NetOptions options : ENGINES) {
                try (Conv1dNet net = Conv1dNet.load(fixture(c.getKey(), "model.onnx"), options)) {
                    assertTrue(net.graph().symbolic(), c.getKey());
                    for (int w : c.getValue()) {
                        Npy.Array x = Npy.read(fixture(c.getKey(), "input_" + w + ".npy"));
                        Npy.Array e = Npy.read(fixture(c.getKey(), "expected_" + w + ".npy"));
                        int n = x.shape()[0];
                        assertArrayEquals(e.shape(), net.outputShape(n, w), c.getKey() + " W " + w);
                        float[] y = net.forward(x.data(), n, w);
                        double err = 0;
                        for (int i = 0; i < y.length; i++) {
                            err = Math.max(err, Math.abs((double) y[i] - e.data()[i]) / (1 + Math.abs(e.data()[i])));
                        }
                        double bound = ErrorBound.of(net.graph(), x.data(), n, w,
                                options.engine() != Engine.REFERENCE);
                        assertTrue(err <= bound, c.getKey() + " " + options.engine() + " W " + w + ": error " + err
                                + " exceeds the bound " + bound);
                    }
                }
            }
        }
    }
}
