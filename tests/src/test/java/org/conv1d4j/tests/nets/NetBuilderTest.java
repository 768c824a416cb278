package org.conv1d4j.tests.nets;

import org.conv1d4j.Conv1d;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.Npy;
import org.conv1d4j.io.SafeTensors;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetBuilder;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.net.TensorNames;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.WeightLayout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NetBuilder}: shared network cases rebuilt from a PyTorch {@code state_dict} in a safetensors file compute
 * what their ONNX models compute, bit for bit (the same nodes, so the same arithmetic, on every engine); Keras
 * layouts and names give the same net as PyTorch's; a single conv of any spec (any layout, padding kind and mode,
 * activation) computes what the single op computes; misuse is refused by name.
 */
class NetBuilderTest {
    private static final double U = Math.ulp(1.0f) / 2;
    /** The oracle: every comparison here is on the reference engine, whatever the default engine is. */
    private static final NetOptions REFERENCE = NetOptions.defaults().withEngine(Engine.REFERENCE);
    private static final PaddingMode[] MODES = {PaddingMode.ZEROS, PaddingMode.REFLECT, PaddingMode.REPLICATE,
        PaddingMode.CIRCULAR};

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static float[] run(NetGraph g, NetOptions o, float[] x, int batch, int width) {
        try (Conv1dNet net = Conv1dNet.create(g, o)) {
            return net.forward(x, batch, width);
        }
    }

    /** The PyTorch module path an exported node comes from: {@code /b1/res/res.0/Conv} is {@code b1.res.0}. */
    private static String layerOf(String onnxNode) {
        String[] parts = onnxNode.substring(1).split("/", -1);
        StringBuilder path = new StringBuilder(parts[0]);
        String previous = parts[0];
        for (int i = 1; i < parts.length - 1; i++) {
            String p = parts[i];
            path.append(p.startsWith(previous + ".") ? p.substring(previous.length()) : "." + p);
            previous = p;
        }
        return path.toString();
    }

    /** The imported model's parameters written as PyTorch's {@code save_file(model.state_dict())} would. */
    private static SafeTensors stateDict(NetGraph g) {
        SafeTensorsFiles f = new SafeTensorsFiles().meta("format", "pt");
        for (NetNode n : g.nodes()) {
            String layer = layerOf(n.name());
            if (n instanceof ConvNode c) {
                int[] s = c.spec().weightShape();
                f.f32(layer + ".weight", c.weights(), s[0], s[1], s[2]);
                if (c.bias() != null) {
                    f.f32(layer + ".bias", c.bias(), c.bias().length);
                }
            } else if (n instanceof BatchNormNode b) {
                int ch = b.scale().length;
                f.f32(layer + ".weight", b.scale(), ch).f32(layer + ".bias", b.bias(), ch)
                        .f32(layer + ".running_mean", b.mean(), ch).f32(layer + ".running_var", b.variance(), ch)
                        .raw(layer + ".num_batches_tracked", "I64", new byte[8]);
            }
        }
        return SafeTensors.parse(f.bytes());
    }

    private static Map<String, NetNode> byLayer(NetGraph g) {
        Map<String, NetNode> m = new HashMap<>();
        g.nodes().forEach(n -> m.put(layerOf(n.name()), n));
        return m;
    }

    /** The ONNX case's output, the builder's output on it (bit for bit), and both within the case's bound. */
    private static void assertSameAsOnnx(String name, NetGraph built) throws IOException {
        Npy.Array x = Npy.read(NetCases.file(name, "input.npy"));
        Npy.Array e = Npy.read(NetCases.file(name, "expected.npy"));
        int batch = x.shape()[0];
        int width = x.shape()[2];
        try (Conv1dNet onnx = Conv1dNet.load(NetCases.file(name, "model.onnx"), REFERENCE)) {
            float[] want = onnx.forward(x.data(), batch, width);
            float[] got = run(built, REFERENCE, x.data(), batch, width);
            assertArrayEquals(onnx.outputShape(batch, width), built.outputShape(batch, width), name);
            assertArrayEquals(want, got, name + ": the built net differs from the ONNX model");
            double err = 0;
            for (int i = 0; i < got.length; i++) {
                err = Math.max(err, Math.abs((double) got[i] - e.data()[i]) / (1 + Math.abs(e.data()[i])));
            }
            double bound = ErrorBound.of(built, x.data(), batch, width);
            assertTrue(err <= bound, name + ": error " + err + " exceeds the bound " + bound);
        }
        for (Engine engine : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D}) {
            NetOptions o = REFERENCE.withEngine(engine);
            float[] want;
            try (Conv1dNet onnx = Conv1dNet.load(NetCases.file(name, "model.onnx"), o)) {
                want = onnx.forward(x.data(), batch, width);
            } catch (UnsupportedOperationException notYet) {
                continue; // networks do not run on this engine yet
            }
            assertArrayEquals(want, run(built, o, x.data(), batch, width), name + " on " + engine);
        }
    }

    @Test
    void quartznetFromAStateDictIsItsOnnxModel() throws IOException {
        NetGraph onnx;
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("quartznet", "model.onnx"))) {
            onnx = net.graph();
        }
        Map<String, NetNode> layers = byLayer(onnx);
        SafeTensors st = stateDict(onnx);
        double eps = ((BatchNormNode) layers.get("prolog.bn")).epsilon();
        class Q {
            Conv1dSpec spec(String layer) {
                return ((ConvNode) layers.get(layer)).spec();
            }

            NetBuilder separable(NetBuilder b, String p) {
                return b.conv(p + ".dw", spec(p + ".dw")).conv(p + ".pw", spec(p + ".pw")).batchNorm(p + ".bn", eps);
            }

            void block(NetBuilder b, String p, int subs) {
                b.residual(blk -> {
                    for (int i = 0; i < subs; i++) {
                        separable(blk, p + ".subs." + i).activation(Pointwise.RELU);
                    }
                    separable(blk, p);
                }, sc -> sc.conv(p + ".res.0", spec(p + ".res.0")).batchNorm(p + ".res.1", eps));
                b.activation(Pointwise.RELU);
            }
        }
        Q q = new Q();
        NetBuilder b = NetBuilder.input("x", 16).weights(st, TensorNames.PYTORCH);
        q.separable(b, "prolog").activation(Pointwise.RELU);
        q.block(b, "b1", 2);
        q.block(b, "b2", 1);
        b.conv("epilog.0", q.spec("epilog.0")).batchNorm("epilog.1", eps).activation(Pointwise.RELU);
        NetGraph g = b.build();
        assertEquals(onnx.nodes().size(), g.nodes().size(), g.toString());
        assertSameAsOnnx("quartznet", g);
    }

    @Test
    void tcnWithCausalSpecsIsItsOnnxModel() throws IOException {
        NetGraph onnx;
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("tcn", "model.onnx"))) {
            onnx = net.graph();
        }
        SafeTensors st = stateDict(onnx);
        NetBuilder b = NetBuilder.input("x", 8).weights(st, TensorNames.PYTORCH);
        int c = 8;
        for (int i = 0; i < 2; i++) {
            String p = "blocks." + i;
            int d = 1 << i;
            int cin = c;
            Conv1dSpec c1 = Conv1dSpec.pytorch(cin, 16, 3).dilation(d).padding(Padding.CAUSAL).build();
            Conv1dSpec c2 = Conv1dSpec.pytorch(16, 16, 3).dilation(d).padding(Padding.CAUSAL).build();
            Consumer<NetBuilder> block = blk -> blk.conv(p + ".c1.conv", c1).activation(Pointwise.RELU)
                    .conv(p + ".c2.conv", c2).activation(Pointwise.RELU);
            b.residual(block, cin == 16 ? null : sc -> sc.conv(p + ".down", Conv1dSpec.pytorch(cin, 16, 1).build()))
                    .activation(Pointwise.RELU);
            c = 16;
        }
        assertSameAsOnnx("tcn", b.build());
    }

    @Test
    void textCnnBranchesConcatenateAsItsOnnxModel() throws IOException {
        NetGraph onnx;
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("textcnn", "model.onnx"))) {
            onnx = net.graph();
        }
        Map<String, NetNode> layers = byLayer(onnx);
        NetBuilder b = NetBuilder.input("x", 16).weights(stateDict(onnx), TensorNames.PYTORCH);
        List<Consumer<NetBuilder>> branches = List.of(0, 1, 2).stream().<Consumer<NetBuilder>>map(i -> br -> br
                .conv("convs." + i, ((ConvNode) layers.get("convs." + i)).spec()).activation(Pointwise.RELU)
                .globalMaxPool()).toList();
        assertSameAsOnnx("textcnn", b.concat(branches).build());
    }

    /** The GELU in the specs becomes the node the exporter's Erf pattern imports as. */
    @Test
    void wav2vecFrontWithGeluInItsSpecsIsItsOnnxModel() throws IOException {
        NetGraph onnx;
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("wav2vec_front", "model.onnx"))) {
            onnx = net.graph();
        }
        Map<String, NetNode> layers = byLayer(onnx);
        NetBuilder b = NetBuilder.input("x", 1).weights(stateDict(onnx), TensorNames.PYTORCH);
        for (int i = 0; i < 3; i++) {
            Conv1dSpec s = ((ConvNode) layers.get("convs." + i)).spec();
            b.conv("convs." + i, s.toBuilder().activation(Activation.GELU_ERF).build());
        }
        assertSameAsOnnx("wav2vec_front", b.build());
    }

    /** A U-Net skip: the concat of a branch and the identity (an empty branch). */
    @Test
    void unetSkipIsAConcatWithAnEmptyBranch() throws IOException {
        NetGraph onnx;
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("unet_tiny", "model.onnx"))) {
            onnx = net.graph();
        }
        Map<String, NetNode> layers = byLayer(onnx);
        java.util.function.Function<String, Conv1dSpec> spec = l -> ((ConvNode) layers.get(l)).spec();
        NetBuilder b = NetBuilder.input("x", 4).weights(stateDict(onnx), TensorNames.PYTORCH)
                .conv("enc1", spec.apply("enc1")).activation(Pointwise.RELU)
                .concat(List.of(br -> br.conv("enc2", spec.apply("enc2")).activation(Pointwise.RELU)
                        .conv("up", spec.apply("up")).activation(Pointwise.RELU), br -> { }))
                .conv("dec", spec.apply("dec"));
        assertSameAsOnnx("unet_tiny", b.build());
    }

    /** WIO / WOI kernels under Keras names give the same net as OIW / IOW arrays. */
    @Test
    void kerasLayoutsAndNamesGiveThePyTorchNet() {
        Random r = new Random(7);
        Conv1dSpec conv = Conv1dSpec.pytorch(3, 6, 5).groups(3).padding(Padding.SAME).build();
        Conv1dSpec up = Conv1dSpec.pytorch(6, 4, 3).op(Op.CONV_TRANSPOSE1D).stride(2).bias(false).build();
        float[] w1 = random(r, conv.weightCount());
        float[] b1 = random(r, 6);
        float[] w2 = random(r, up.weightCount());
        float[] gamma = random(r, 4);
        float[] beta = random(r, 4);
        float[] mean = random(r, 4);
        float[] var = new float[4];
        for (int i = 0; i < 4; i++) {
            var[i] = 0.5f + i;
        }
        float[] slope = random(r, 4);
        NetGraph torch = NetBuilder.input("x", 3).conv(conv, w1, b1).activation(Pointwise.ELU)
                .conv(up, w2, null).batchNorm(gamma, beta, mean, var, 1e-3).prelu(slope).build();

        // Keras kernels: WIO (K, C_in/G, C_out) and WOI (K, C_out, C_in)
        float[] wio = new float[w1.length];
        for (int o = 0; o < 6; o++) {
            for (int i = 0; i < 1; i++) {
                for (int t = 0; t < 5; t++) {
                    wio[(t + i) * 6 + o] = w1[o * 5 + t];
                }
            }
        }
        float[] woi = new float[w2.length];
        for (int i = 0; i < 6; i++) {
            for (int o = 0; o < 4; o++) {
                for (int t = 0; t < 3; t++) {
                    woi[(t * 4 + o) * 6 + i] = w2[(i * 4 + o) * 3 + t];
                }
            }
        }
        SafeTensors st = SafeTensors.parse(new SafeTensorsFiles()
                .f32("conv1d/kernel", wio, 5, 1, 6).f32("conv1d/bias", b1, 6)
                .f32("up/kernel", woi, 3, 4, 6)
                .f32("bn/gamma", gamma, 4).f32("bn/beta", beta, 4).f32("bn/moving_mean", mean, 4)
                .f32("bn/moving_variance", var, 4).f32("act/alpha", slope, 1, 4).bytes());
        Conv1dSpec kconv = Conv1dSpec.keras(3, 6, 5).groups(3).padding(Padding.SAME).activation(Activation.ELU)
                .build();
        Conv1dSpec kup = Conv1dSpec.keras(6, 4, 3).op(Op.CONV_TRANSPOSE1D).stride(2).bias(false).build();
        assertEquals(WeightLayout.WIO, kconv.weightLayout());
        assertEquals(WeightLayout.WOI, kup.weightLayout());
        NetGraph keras = NetBuilder.input("x", 3).weights(st, TensorNames.KERAS).conv("conv1d", kconv)
                .conv("up", kup).batchNorm("bn").prelu("act").build();
        for (int width : new int[] {1, 2, 7, 13}) {
            float[] x = random(r, 2 * 3 * width);
            assertArrayEquals(run(torch, REFERENCE, x, 2, width),
                    run(keras, REFERENCE, x, 2, width), "width " + width);
        }
    }

    /**
     * One conv of a random spec, any layout, weight layout, padding kind and mode and activation, against the single
     * op on the reference engine: equal where the arithmetic is the same; with an activation the net rounds the
     * conv's output to float32 before the activation, so it may differ by {@code L u |z| + 2 u |y|} (L the
     * activation's Lipschitz constant, z the pre-activation).
     */
    @Test
    void aSingleConvOfAnySpecComputesTheSingleOp() {
        Random r = new Random(2026);
        Activation[] acts = {Activation.NONE, Activation.RELU, Activation.LEAKY_RELU, Activation.ELU,
            Activation.GELU_ERF, Activation.GELU_TANH, Activation.TANH, Activation.SIGMOID, Activation.CLIP,
            Activation.SWISH};
        int checked = 0;
        for (int trial = 0; trial < 400; trial++) {
            boolean transposed = r.nextInt(4) == 0;
            boolean keras = r.nextBoolean();
            int groups = transposed && keras ? 1 : new int[] {1, 1, 2, 3}[r.nextInt(4)];
            int cin = groups * (1 + r.nextInt(3));
            int cout = groups * (1 + r.nextInt(3));
            int k = 1 + r.nextInt(4);
            Conv1dSpec.Builder sb = (keras ? Conv1dSpec.keras(cin, cout, k) : Conv1dSpec.pytorch(cin, cout, k))
                    .op(transposed ? Op.CONV_TRANSPOSE1D : Op.CONV1D).groups(groups).stride(1 + r.nextInt(3))
                    .dilation(1 + r.nextInt(2)).bias(r.nextBoolean());
            Activation act = acts[r.nextInt(acts.length)];
            sb.activation(act, act == Activation.LEAKY_RELU ? 0.1 : act.defaultAlpha());
            Conv1dSpec spec;
            try {
                int kind = r.nextInt(4);
                sb.padding(kind == 0 ? Padding.VALID : kind == 1 ? Padding.SAME
                        : kind == 2 && !transposed ? Padding.CAUSAL : Padding.explicit(r.nextInt(3), r.nextInt(3)));
                if (!transposed) {
                    sb.paddingMode(MODES[r.nextInt(MODES.length)]);
                }
                spec = sb.build();
            } catch (IllegalArgumentException impossible) {
                continue;
            }
            float[] w = random(r, spec.weightCount());
            float[] bias = spec.hasBias() ? random(r, cout) : null;
            NetGraph g;
            try {
                g = NetBuilder.input("x", cin).conv(spec, w, bias).build();
            } catch (IllegalArgumentException refused) {
                // 'same' with a padding mode and a stride, or with output padding: refused by name
                assertTrue(refused.getMessage().startsWith("spec: 'same'"), refused.getMessage());
                continue;
            }
            Conv1dSpec linear = spec.toBuilder().activation(Activation.NONE).build();
            NetOptions layout = REFERENCE.withLayout(spec.layout());
            for (int width : new int[] {1, 2, 3, 5, 11}) {
                int batch = 1 + r.nextInt(2);
                float[] x = random(r, batch * cin * width);
                float[] want;
                float[] z;
                try (Conv1d op = Conv1d.create(spec, w, bias, Engine.REFERENCE);
                        Conv1d lin = Conv1d.create(linear, w, bias, Engine.REFERENCE)) {
                    want = op.forward(x, batch, width);
                    z = lin.forward(x, batch, width);
                } catch (IllegalArgumentException tooNarrow) {
                    assertThrows(IllegalArgumentException.class, () -> g.outputShape(batch, width), spec + " W " + width);
                    continue;
                }
                float[] got = run(g, layout, x, batch, width);
                assertEquals(want.length, got.length, spec.toString());
                double lipschitz = act.lipschitz(spec.alpha());
                for (int i = 0; i < want.length; i++) {
                    double bound = act == Activation.NONE ? 0
                            : lipschitz * U * Math.abs(z[i]) + 2 * U * Math.abs(want[i]) + Float.MIN_NORMAL;
                    assertTrue(Math.abs((double) got[i] - want[i]) <= bound, "seed 2026 trial " + trial + " " + spec
                            + " W " + width + " at " + i + ": " + got[i] + " vs " + want[i]);
                }
                checked++;
            }
        }
        assertTrue(checked > 500, "too few specs ran: " + checked);
    }

    /** A TCN's weight_norm convs: {@code w = g * v / ||v||} per output channel, under either state_dict naming. */
    @Test
    void weightNormedConvsFoldTheirMagnitudeAndDirection() {
        Random r = new Random(5);
        Conv1dSpec spec = Conv1dSpec.pytorch(3, 4, 3).dilation(2).padding(Padding.CAUSAL).build();
        float[] g = random(r, 4);
        float[] v = random(r, spec.weightCount());
        float[] bias = random(r, 4);
        float[] w = new float[v.length];
        for (int o = 0; o < 4; o++) {
            double sum = 0;
            for (int i = o * 9; i < o * 9 + 9; i++) {
                sum += (double) v[i] * v[i];
            }
            for (int i = o * 9; i < o * 9 + 9; i++) {
                w[i] = (float) (v[i] * (g[o] / Math.sqrt(sum)));
            }
        }
        NetGraph arrays = NetBuilder.input("x", 3).conv(spec, w, bias).build();
        float[] x = random(r, 2 * 3 * 17);
        float[] want = run(arrays, REFERENCE, x, 2, 17);
        for (String[] names : new String[][] {{"c.weight_g", "c.weight_v"},
            {"c.parametrizations.weight.original0", "c.parametrizations.weight.original1"}}) {
            SafeTensors st = SafeTensors.parse(new SafeTensorsFiles().f32("c.bias", bias, 4)
                    .f32(names[0], g, 4, 1, 1).f32(names[1], v, 4, 3, 3).bytes());
            NetGraph fromFile = NetBuilder.input("x", 3).weights(st, TensorNames.PYTORCH).conv("c", spec).build();
            assertArrayEquals(want, run(fromFile, REFERENCE, x, 2, 17), names[0]);
        }
        SafeTensors flatG = SafeTensors.parse(new SafeTensorsFiles().f32("c.bias", bias, 4)
                .f32("c.weight_g", g, 4).f32("c.weight_v", v, 4, 3, 3).bytes());
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> NetBuilder.input("x", 3).weights(flatG, TensorNames.PYTORCH).conv("c", spec));
        assertTrue(e.getMessage().startsWith("tensor 'c.weight_g': shape [4], expected [4, 1, 1]"), e.getMessage());
        float[] zeroRow = v.clone();
        java.util.Arrays.fill(zeroRow, 9, 18, 0f);
        SafeTensors zero = SafeTensors.parse(new SafeTensorsFiles().f32("c.bias", bias, 4)
                .f32("c.weight_g", g, 4, 1, 1).f32("c.weight_v", zeroRow, 4, 3, 3).bytes());
        e = assertThrows(InvalidInputException.class,
                () -> NetBuilder.input("x", 3).weights(zero, TensorNames.PYTORCH).conv("c", spec));
        assertTrue(e.getMessage().startsWith("tensor 'c.weight_v': row 1 has norm 0.0"), e.getMessage());
    }

    @Test
    void namesAreGeneratedOrTheFileLayersAndUnique() {
        float[] w = new float[2 * 2 * 3];
        NetGraph g = NetBuilder.input("x", 2)
                .conv(Conv1dSpec.pytorch(2, 2, 3).padding(Padding.SAME).activation(Activation.RELU).build(), w,
                        new float[2])
                .residual(b -> b.activation(Pointwise.RELU).pad(1, 1, PaddingMode.REFLECT).slice(1, -1))
                .conv(Conv1dSpec.pytorch(2, 2, 3).padding(Padding.explicit(1, 1)).paddingMode(PaddingMode.CIRCULAR)
                        .build(), w, new float[2])
                .maxPool(2, 2).averagePool(1, 1).globalAveragePool().build();
        assertEquals(List.of("conv1", "conv1_relu", "relu1", "pad1", "slice1", "add1", "conv2_pad", "conv2",
                "maxpool1", "averagepool1", "globalaveragepool1"), g.nodes().stream().map(NetNode::name).toList());
        assertEquals("globalaveragepool1", g.outputName());
        assertArrayEquals(new int[] {3, 2, 1}, g.outputShape(3, 9));
    }

    @Test
    void misuseIsRefusedByName() {
        float[] w = new float[4 * 3];
        Conv1dSpec c43 = Conv1dSpec.pytorch(4, 3, 1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NetBuilder.input("x", 2).conv(c43, w, new float[3]));
        assertTrue(e.getMessage().startsWith("spec: layer 'conv1' expects 4 input channels; the stack has 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> NetBuilder.input("x", 4).residual(b -> b.conv(c43, w, new float[3])));
        assertTrue(e.getMessage().startsWith("block: ends with 3 channels, the input with 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetBuilder.input("x", 4).conv(c43, new float[5], null));
        assertTrue(e.getMessage().startsWith("weights: expected 12 floats"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetBuilder.input("x", 4).prelu(new float[3]));
        assertTrue(e.getMessage().contains("layer 'prelu1' (PRelu)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> NetBuilder.input("x", 4).activation(Pointwise.CLIP));
        assertTrue(e.getMessage().startsWith("function: CLIP needs"), e.getMessage());

        NetBuilder[] leaked = new NetBuilder[1];
        NetBuilder outer = NetBuilder.input("x", 4);
        outer.residual(b -> leaked[0] = b.activation(Pointwise.TANH));
        assertThrows(IllegalStateException.class, () -> leaked[0].activation(Pointwise.RELU));
        assertThrows(IllegalStateException.class, () -> outer.residual(b -> outer.activation(Pointwise.RELU)));
        assertThrows(IllegalStateException.class, () -> NetBuilder.input("x", 4).residual(b -> b.build()));
        assertThrows(IllegalStateException.class, () -> NetBuilder.input("x", 4).batchNorm("bn1"));

        SafeTensors st = SafeTensors.parse(new SafeTensorsFiles().f32("c.weight", w, 3, 4, 1)
                .f32("c.bias", new float[3], 3).f32("bn.running_mean", new float[3], 3).bytes());
        NetBuilder b = NetBuilder.input("x", 4).weights(st, TensorNames.PYTORCH);
        InvalidInputException ie = assertThrows(InvalidInputException.class, () -> b.conv("d", c43));
        assertTrue(ie.getMessage().contains("no tensor 'd.weight'"), ie.getMessage());
        ie = assertThrows(InvalidInputException.class,
                () -> b.conv("c", Conv1dSpec.pytorch(4, 3, 1).bias(false).build()));
        assertTrue(ie.getMessage().startsWith("tensor 'c.bias': the file has a bias"), ie.getMessage());
        ie = assertThrows(InvalidInputException.class, () -> b.conv("c", Conv1dSpec.pytorch(4, 3, 1).groups(1)
                .weightLayout(WeightLayout.WIO).build()));
        assertTrue(ie.getMessage().startsWith("tensor 'c.weight': shape [3, 4, 1], expected WIO [1, 4, 3]"),
                ie.getMessage());
        b.conv("c", c43);
        ie = assertThrows(InvalidInputException.class, () -> b.batchNorm("bn"));
        assertTrue(ie.getMessage().startsWith("tensor 'bn.running_var': not in"), ie.getMessage());
        assertEquals(3, b.channels());
        assertEquals("c", b.tensor());
        assertEquals(Layout.NCW, ((ConvNode) b.build().nodes().get(0)).spec().layout());
    }
}
