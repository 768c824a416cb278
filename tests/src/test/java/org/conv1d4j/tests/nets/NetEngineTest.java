package org.conv1d4j.tests.nets;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.NetOptions;
import org.conv1d4j.tests.Concurrently;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.Npy;
import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetPlanReport;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oneDNN chain against the reference engine: every shared network case on both oneDNN engines and both layouts
 * (against the reference and the float64 output), random networks of every node kind, what the plan fuses, steady
 * state, concurrency and misuse. The bound is {@link ErrorBound}'s for the chain (float sums, approximated
 * activations) plus the reference's own: both sit within theirs of the exact result.
 */
class NetEngineTest {
    private static final NetOptions REF = NetOptions.defaults().withEngine(Engine.REFERENCE);
    private static final Engine[] ONEDNN = {Engine.ONEDNN_2D, Engine.ONEDNN_1D};

    static Stream<Arguments> casesOnEveryEngineAndLayout() {
        List<Arguments> all = new ArrayList<>();
        for (String name : NetCases.names(false)) {
            for (Engine e : ONEDNN) {
                for (Layout l : Layout.values()) {
                    all.add(Arguments.of(name, e, l));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("casesOnEveryEngineAndLayout")
    void everyCaseMatchesTheReferenceAndTheFloat64Output(String name, Engine engine, Layout layout) throws IOException {
        Npy.Array x = Npy.read(NetCases.file(name, "input.npy"));
        Npy.Array e = Npy.read(NetCases.file(name, "expected.npy"));
        int n = x.shape()[0];
        int c = x.shape()[1];
        int w = x.shape()[2];
        NetOptions options = NetOptions.defaults().withEngine(engine).withLayout(layout);
        try (Conv1dNet net = Conv1dNet.load(NetCases.file(name, "model.onnx"), options);
                Conv1dNet ref = Conv1dNet.load(NetCases.file(name, "model.onnx"), REF)) {
            int[] s = ref.outputShape(n, w);
            boolean nwc = layout == Layout.NWC;
            float[] in = nwc ? NetCasesTest.transpose(x.data(), n, c, w) : x.data();
            float[] got = net.forward(in, n, w);
            float[] y = nwc ? NetCasesTest.transpose(got, n, s[2], s[1]) : got;
            float[] r = ref.forward(x.data(), n, w);
            double bound = ErrorBound.of(ref.graph(), x.data(), n, w, true);
            double refBound = ErrorBound.of(ref.graph(), x.data(), n, w, false);
            double vsExpected = measure(y, toDouble(e.data()));
            double vsReference = measure(y, toDouble(r));
            System.out.printf("onednn net %-14s %-10s %s  vs float64 %.3e (bound %.3e)  vs reference %.3e%n", name,
                    engine.cliName(), layout, vsExpected, bound, vsReference);
            assertTrue(vsExpected <= bound, name + ": error " + vsExpected + " exceeds the bound " + bound);
            assertTrue(vsReference <= bound + refBound, name + ": " + vsReference + " from the reference");
            NetCrossCheck.Report check = NetCrossCheck.check(net, in, n, w);
            assertTrue(check.passed(), name + ": " + check);
            // not vacuous: one element off by twice the bound fails, by half of it passes
            float[] off = got.clone();
            off[off.length / 2] += (float) (2 * check.maxBound());
            assertTrue(!NetCrossCheck.compare(net, in, off, n, w).passed(), name + ": twice the bound passed");
            off[off.length / 2] = got[off.length / 2] + (float) (check.maxBound() / 4);
            assertTrue(NetCrossCheck.compare(net, in, off, n, w).passed(), name + ": a quarter of the bound failed");
        }
    }

    /**
     * In bfloat16 every case passes the cross-check's bf16 bound, is rejected by the float32 bound where that bound is
     * tight enough to separate them (the tests are not vacuous), and keeps a signal-to-noise ratio against the float32
     * chain that is printed and held to 30 dB (measured 47.7 to 54.0 dB).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("good")
    void bf16ChainsPassTheirBoundAndNotTheFloat32One(String name) throws IOException {
        Npy.Array x = Npy.read(NetCases.file(name, "input.npy"));
        int n = x.shape()[0];
        int w = x.shape()[2];
        try (Conv1dNet f32 = Conv1dNet.load(NetCases.file(name, "model.onnx"));
                Conv1dNet bf16 = Conv1dNet.load(NetCases.file(name, "model.onnx"),
                        NetOptions.defaults().withPrecision(Precision.BF16))) {
            float[] y = bf16.forward(x.data(), n, w);
            float[] ref = f32.forward(x.data(), n, w);
            NetCrossCheck.Report own = NetCrossCheck.compare(bf16, x.data(), y, n, w);
            NetCrossCheck.Report strict = NetCrossCheck.compare(f32, x.data(), y, n, w);
            double snr = NetCrossCheck.snrDb(ref, y);
            System.out.printf("bf16 net %-14s SNR against f32 %.1f dB; bf16 bound: %s; f32 bound: %s%n", name, snr, own,
                    strict);
            assertTrue(own.passed(), name + ": " + own);
            double magnitude = 0;
            for (float v : ref) {
                magnitude = Math.max(magnitude, Math.abs(v));
            }
            // the float32 bound rejects bf16 results, except where its worst case compounds so many layers (QuartzNet:
            // 15 convs and BatchNorms) that it exceeds a hundredth of the outputs' magnitude and no longer separates
            assertTrue(!strict.passed() || strict.maxBound() > 1e-2 * magnitude,
                    name + ": the float32 bound accepted a bf16 result: " + strict);
            assertTrue(snr >= 30, name + ": SNR " + snr + " dB");
        }
    }

    static List<String> good() {
        return NetCases.names(false);
    }

    /** Random networks of every node kind, built in Java: the oneDNN chain within the bound of the reference. */
    @Test
    void randomNetworksMatchTheReference() {
        int checked = 0;
        for (long seed = 0; seed < 120; seed++) {
            Random r = new Random(seed);
            NetGraph g = RandomNet.of(r);
            Engine engine = ONEDNN[(int) (seed % 2)];
            Layout layout = seed % 3 == 0 ? Layout.NWC : Layout.NCW;
            int n = 1 + r.nextInt(3);
            try (Conv1dNet net = Conv1dNet.create(g, NetOptions.defaults().withEngine(engine).withLayout(layout));
                    Conv1dNet ref = Conv1dNet.create(g, REF)) {
                for (int w : new int[] {1, 7, 31, 64, 97}) {
                    int[] s;
                    try {
                        s = ref.outputShape(n, w);
                    } catch (IllegalArgumentException e) { // too narrow for this network
                        continue;
                    }
                    int c = g.inputChannels();
                    float[] x = gaussian(r, n * c * w);
                    float[] want = ref.forward(x, n, w);
                    boolean nwc = layout == Layout.NWC;
                    float[] got = net.forward(nwc ? NetCasesTest.transpose(x, n, c, w) : x, n, w);
                    float[] y = nwc ? NetCasesTest.transpose(got, n, s[2], s[1]) : got;
                    double bound = ErrorBound.of(g, x, n, w, true) + ErrorBound.of(g, x, n, w, false);
                    double err = measure(y, toDouble(want));
                    assertTrue(err <= bound, "seed " + seed + " " + engine + " " + layout + " N " + n + " W " + w
                            + ": " + err + " exceeds " + bound + "\n" + g);
                    checked++;
                }
            }
        }
        System.out.println("random networks: " + checked + " (network, width) pairs within the bound");
        assertTrue(checked > 300, "too few widths ran: " + checked);
    }

    @Test
    void quartznetPlanFoldsBatchNormFusesReluAndResidualAndKeepsConvsInOneLayout() throws IOException {
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("quartznet", "model.onnx"))) {
            NetPlanReport plan = net.plan(2, 64);
            plan.steps().forEach(s -> System.out.println("quartznet plan: " + s));
            List<String> kinds = plan.steps().stream().map(NetPlanReport.Step::primitive).toList();
            assertTrue(!kinds.contains("batch_normalization_forward") && !kinds.contains("eltwise_forward")
                    && !kinds.contains("binary"), "BatchNorm, ReLU and Add all fused: " + kinds);
            assertTrue(plan.steps().stream().anyMatch(s -> s.nodes().stream().anyMatch(x -> x.contains("Batch"))
                    || s.nodes().size() > 1), "a conv step computes several nodes");
            assertTrue(plan.steps().stream().anyMatch(s -> s.detail().contains("sum(") || s.detail().contains("add(")),
                    "the residual is a post-op");
            // reorders only where the caller's data enters and leaves
            for (int i = 1; i + 1 < plan.steps().size(); i++) {
                assertTrue(!kinds.get(i).equals("reorder"), "a reorder between primitives at step " + i + ": " + kinds);
            }
            assertTrue(plan.arenaBytes() < plan.tensorBytes(), "tensors share memory: " + plan.arenaBytes() + " of "
                    + plan.tensorBytes());
        }
    }

    /**
     * A causal chomp (pads then {@code Slice}) is one conv with less padding; a dilated depthwise conv folds its
     * dilation into the height, on the input widened with zeros where the dilation does not divide the width; both
     * within the reference's bound.
     */
    @Test
    void chompsAndDilatedDepthwiseConvsFold() {
        Random r = new Random(5);
        int c = 8;
        Conv1dSpec chomp = Conv1dSpec.builder(c, c, 3).dilation(2).padding(Padding.explicit(4, 4)).build();
        Conv1dSpec dw = Conv1dSpec.builder(c, c, 3).groups(c).dilation(4).padding(Padding.explicit(4, 4)).build();
        NetGraph g = NetGraph.builder("x", c)
                .add(new ConvNode("chomped", "x", "a", chomp, gaussian(r, chomp.weightCount()), gaussian(r, c),
                        ConvNode.AutoPad.NOTSET, 0))
                .add(new SliceNode("chomp", "a", "b", 0, -4))
                .add(new ConvNode("dw", "b", "y0", dw, gaussian(r, dw.weightCount()), gaussian(r, c),
                        ConvNode.AutoPad.NOTSET, 0))
                .add(new PReluNode("prelu", "y0", "y", new float[] {0.25f}))
                .build("y");
        for (int w : new int[] {36, 37, 101}) {
            try (Conv1dNet net = Conv1dNet.create(g, NetOptions.defaults())) {
                NetPlanReport plan = net.plan(2, w);
                List<String> kinds = plan.steps().stream().map(NetPlanReport.Step::primitive).toList();
                assertTrue(plan.steps().stream().anyMatch(st -> st.nodes().equals(List.of("chomped", "chomp"))),
                        "chomp folded: " + plan);
                assertTrue(plan.steps().stream().anyMatch(st -> st.nodes().contains("dw")
                        && st.detail().contains("dilation folded")), "dilation folded at W " + w + ": " + plan);
                // the input widened where the dilations (2, then 4) do not divide the width
                assertEquals((w % 2 == 0 ? 0 : 1) + (w % 4 == 0 ? 0 : 1), kinds.stream().filter(k -> k.equals("zero"))
                        .count(), kinds.toString());
                float[] x = gaussian(r, 2 * c * w);
                NetCrossCheck.Report check = NetCrossCheck.check(net, x, 2, w);
                assertTrue(check.passed(), "W " + w + ": " + check);
            }
        }
    }

    @Test
    void steadyStateCallsAllocateNothing() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (Layout layout : Layout.values()) {
            try (Conv1dNet net = Conv1dNet.load(NetCases.file("tcn", "model.onnx"),
                    NetOptions.defaults().withLayout(layout))) {
                int n = 3;
                int w = 97;
                int c = net.graph().inputChannels();
                int[] s = net.outputShape(n, w);
                float[] x = gaussian(new Random(1), n * c * w);
                float[] y = new float[s[0] * s[1] * s[2]];
                FloatBuffer in = DirectBuffers.allocate(x.length).put(0, x);
                FloatBuffer out = DirectBuffers.allocate(y.length);
                for (int i = 0; i < 20; i++) {
                    net.forward(x, y, n, w);
                    net.forward(in, out, n, w);
                }
                long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
                long natives = org.bytedeco.javacpp.Pointer.totalBytes();
                for (int i = 0; i < 200; i++) {
                    net.forward(x, y, n, w);
                    net.forward(in, out, n, w);
                }
                long bytes = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
                // the measurement itself allocates a little; 400 calls of even 8 bytes each would be 3200
                assertTrue(bytes < 1024, layout + ": " + bytes + " bytes allocated by 400 steady-state calls");
                assertTrue(org.bytedeco.javacpp.Pointer.totalBytes() <= natives, "native bytes allocated");
                float[] viaBuffer = new float[y.length];
                out.get(0, viaBuffer);
                assertArrayEquals(y, viaBuffer, "buffer and array overloads agree");
            }
        }
    }

    @Test
    void concurrentCallsGiveTheSequentialBits() throws Exception {
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("quartznet", "model.onnx"))) {
            concurrentCallsGiveTheSequentialBits(net, 2, new int[] {41, 64, 97}, 30);
        }
    }

    /**
     * Each width's output computed alone, then four threads calling {@code calls} times each, widths interleaved:
     * every result the sequential one bit for bit.
     */
    static void concurrentCallsGiveTheSequentialBits(Conv1dNet net, int batch, int[] widths, int calls)
            throws Exception {
        int c = net.graph().inputChannels();
        List<float[]> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        for (int w : widths) {
            float[] x = gaussian(new Random(w), batch * c * w);
            inputs.add(x);
            expected.add(net.forward(x, batch, w));
        }
        Concurrently.onThreads(4, thread -> {
            for (int i = 0; i < calls; i++) {
                int k = (thread + i) % widths.length;
                assertArrayEquals(expected.get(k), net.forward(inputs.get(k), batch, widths[k]),
                        "thread " + thread + " W=" + widths[k]);
            }
        });
    }

    @Test
    void misuseIsRefusedBeforeNativeCode() throws IOException {
        Conv1dNet net = Conv1dNet.load(NetCases.file("tcn", "model.onnx"));
        int c = net.graph().inputChannels();
        int[] s = net.outputShape(1, 50);
        FloatBuffer heap = FloatBuffer.allocate(c * 50);
        FloatBuffer out = DirectBuffers.allocate(s[1] * s[2]);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.forward(heap, out, 1, 50)).getMessage()
                .startsWith("input: must be a direct buffer"));
        FloatBuffer shared = ByteBuffer.allocateDirect(4 * (c * 50 + s[1] * s[2])).order(java.nio.ByteOrder.nativeOrder())
                .asFloatBuffer();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> net.forward(shared, shared, 1, 50))
                .getMessage().contains("overlaps"));
        assertThrows(IllegalArgumentException.class, () -> net.plan(0, 50));
        net.close();
        assertThrows(IllegalStateException.class, () -> net.forward(new float[c * 50], 1, 50));
        assertThrows(IllegalStateException.class, () -> net.plan(1, 50));
        net.close();
    }

    private static double measure(float[] y, double[] e) {
        assertEquals(e.length, y.length, "output length");
        double err = 0;
        for (int i = 0; i < y.length; i++) {
            err = Math.max(err, Math.abs(y[i] - e[i]) / (1 + Math.abs(e[i])));
        }
        return err;
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** Random networks of every node kind the engine runs, each node drawn from the seed's generator. */
    static final class RandomNet {
        private final Random r;
        private final NetGraph.Builder g;
        private String cur = "x";
        private int c;
        private int id;

        private RandomNet(Random r) {
            this.r = r;
            this.c = 1 + r.nextInt(6);
            this.g = NetGraph.builder("x", c);
        }

        static NetGraph of(Random r) {
            RandomNet n = new RandomNet(r);
            int blocks = 1 + r.nextInt(5);
            for (int b = 0; b < blocks; b++) {
                switch (r.nextInt(7)) {
                    case 0, 1 -> n.cur = n.convBlock(n.cur, 1 + r.nextInt(8));
                    case 2 -> n.residual();
                    case 3 -> n.pad();
                    case 4 -> n.slice();
                    case 5 -> n.concat();
                    default -> n.pool();
                }
            }
            if (r.nextInt(6) == 0) {
                n.cur = n.add(new GlobalPoolNode(n.name(), n.cur, n.name(), r.nextBoolean()));
            }
            return n.g.build(n.cur);
        }

        private String name() {
            return "t" + id++;
        }

        private String add(org.conv1d4j.net.NetNode node) {
            g.add(node);
            return node.output();
        }

        /** A conv (sometimes transposed, strided, dilated or grouped), maybe BatchNorm, maybe an activation. */
        private String convBlock(String in, int co) {
            int k = 1 + r.nextInt(5);
            int groups = (c % 2 == 0 && co % 2 == 0 && r.nextBoolean()) ? 2 : 1;
            if (c == co && r.nextInt(3) == 0) {
                groups = c; // depthwise
            }
            boolean transposed = r.nextInt(8) == 0;
            int stride = r.nextInt(4) == 0 ? 2 : 1;
            int dilation = !transposed && r.nextInt(4) == 0 ? 2 : 1;
            Conv1dSpec.Builder b = Conv1dSpec.builder(c, co, k).groups(groups).stride(stride).dilation(dilation)
                    .bias(r.nextBoolean());
            if (transposed) {
                b.op(Op.CONV_TRANSPOSE1D).padding(Padding.explicit(r.nextInt(k), r.nextInt(k)));
                if (stride > 1) {
                    b.outputPadding(r.nextInt(stride));
                }
            } else {
                int span = dilation * (k - 1);
                b.padding(Padding.explicit(r.nextInt(span + 1), r.nextInt(span + 1)));
                if (r.nextInt(10) == 0) {
                    b.activation(Activation.RELU);
                }
            }
            Conv1dSpec s = b.build();
            String out = add(new ConvNode(name(), in, name(), s, gaussian(r, s.weightCount(), 1 / Math.sqrt(c * k)),
                    s.hasBias() ? gaussian(r, co, 0.1) : null, ConvNode.AutoPad.NOTSET, 0));
            c = co;
            if (r.nextBoolean()) {
                out = add(new BatchNormNode(name(), out, name(), positive(r, co), gaussian(r, co, 0.1),
                        gaussian(r, co, 0.1), positive(r, co), 1e-5));
            }
            return r.nextInt(4) == 0 ? out : activation(out);
        }

        private String activation(String in) {
            List<Pointwise> all = List.of(Pointwise.values());
            Pointwise f = all.get(r.nextInt(all.size()));
            return switch (f) {
                case LEAKY_RELU -> add(new PointwiseNode(name(), in, name(), f, 0.01, 0));
                case ELU -> add(new PointwiseNode(name(), in, name(), f, 1, 0));
                case CLIP -> add(new PointwiseNode(name(), in, name(), f, -0.5, 0.75));
                case HARD_SIGMOID -> add(new PointwiseNode(name(), in, name(), f, 0.2, 0.5));
                default -> r.nextInt(5) == 0
                        ? add(new PReluNode(name(), in, name(), r.nextBoolean() ? new float[] {0.25f}
                                : gaussian(r, c, 0.3)))
                        : add(new PointwiseNode(name(), in, name(), f, 0, 0));
            };
        }

        /** {@code x + f(conv(x))} with a same-width conv, the Add sometimes followed by an activation. */
        private void residual() {
            int k = 2 * r.nextInt(3) + 1;
            Conv1dSpec s = Conv1dSpec.builder(c, c, k).padding(Padding.explicit(k / 2, k / 2)).build();
            String y = add(new ConvNode(name(), cur, name(), s, gaussian(r, s.weightCount(), 1 / Math.sqrt(c * k)),
                    gaussian(r, c, 0.1), ConvNode.AutoPad.NOTSET, 0));
            if (r.nextBoolean()) {
                y = add(new PointwiseNode(name(), y, name(), Pointwise.RELU, 0, 0));
            }
            String sum = add(r.nextBoolean() ? new AddNode(name(), cur, y, name()) : new AddNode(name(), y, cur, name()));
            cur = r.nextBoolean() ? sum : activation(sum);
        }

        private void pad() {
            PaddingMode[] modes = {PaddingMode.ZEROS, PaddingMode.REFLECT, PaddingMode.REPLICATE};
            cur = add(new PadNode(name(), cur, name(), r.nextInt(3), r.nextInt(3), modes[r.nextInt(modes.length)]));
            if (r.nextBoolean()) {
                cur = convBlock(cur, 1 + r.nextInt(6));
            }
        }

        private void slice() {
            cur = add(new SliceNode(name(), cur, name(), r.nextInt(2), -r.nextInt(2) - 1));
        }

        private void concat() {
            String from = cur;
            int in = c;
            String a = convBlock(from, 1 + r.nextInt(4));
            int ca = c;
            c = in;
            String b = r.nextBoolean() ? from : convBlock(from, 1 + r.nextInt(4));
            int cb = c;
            cur = add(new ConcatNode(name(), List.of(a, b), name()));
            c = ca + cb;
        }

        private void pool() {
            int k = 2 + r.nextInt(2);
            int pad = r.nextInt(k);
            boolean max = r.nextBoolean();
            cur = add(new PoolNode(name(), cur, name(), max, k, 1 + r.nextInt(2), pad, r.nextInt(k), 1, false,
                    !max && r.nextBoolean()));
        }

        private static float[] gaussian(Random r, int n, double scale) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (r.nextGaussian() * scale);
            }
            return a;
        }

        private static float[] positive(Random r, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (0.5 + r.nextDouble());
            }
            return a;
        }
    }
}
