package org.conv1d4j.tests.nets;

import org.conv1d4j.Conv1d;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.NetOptions;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random small networks written as ONNX in the test: what the reader makes of them must be what the single ops
 * compute, bit for bit where the arithmetic is the same, and within a derived bound where it is not (BatchNorm
 * folding). Every case is drawn from a seed that its failure message names. Widths are odd and small (1, primes).
 */
class NetPropertyTest {
    /** These are properties of the reference engine (the oneDNN chain is held to it in NetEngineTest). */
    static final NetOptions REF = NetOptions.defaults().withEngine(Engine.REFERENCE);
    private static final double U = Math.ulp(1.0f) / 2;
    private static final int[] WIDTHS = {1, 2, 3, 5, 7, 13, 17, 31};

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** A random forward or transposed conv spec with explicit padding, valid for some of {@link #WIDTHS}. */
    private static Conv1dSpec spec(Random r, boolean transposed) {
        for (;;) {
            try {
                int groups = new int[] {1, 1, 2, 3}[r.nextInt(4)];
                int cin = groups * (1 + r.nextInt(4));
                int cout = groups * (1 + r.nextInt(4));
                int k = 1 + r.nextInt(5);
                int stride = 1 + r.nextInt(3);
                int dilation = 1 + r.nextInt(3);
                return Conv1dSpec.builder(cin, cout, k).op(transposed ? Op.CONV_TRANSPOSE1D : Op.CONV1D)
                        .stride(stride).dilation(dilation).groups(groups)
                        .padding(Padding.explicit(r.nextInt(3), r.nextInt(3)))
                        .outputPadding(transposed ? r.nextInt(Math.max(stride, dilation)) : 0)
                        .bias(r.nextBoolean()).build();
            } catch (IllegalArgumentException impossible) {
                // draw again
            }
        }
    }

    private static OnnxModels convModel(Conv1dSpec s, float[] w, float[] b) {
        OnnxModels m = OnnxModels.withInput("x", s.inChannels());
        boolean t = s.op() == Op.CONV_TRANSPOSE1D;
        long[] wd = t ? new long[] {s.inChannels(), s.outChannels() / s.groups(), s.kernelSize()}
                : new long[] {s.outChannels(), s.inChannels() / s.groups(), s.kernelSize()};
        m.floats("w", w, wd);
        String[] in = b == null ? new String[] {"x", "w"} : new String[] {"x", "w", "b"};
        if (b != null) {
            m.floats("b", b, b.length);
        }
        var node = m.node(t ? "ConvTranspose" : "Conv", in, "y", "kernel_shape", new long[] {s.kernelSize()},
                "strides", new long[] {s.stride()}, "dilations", new long[] {s.dilation()}, "group", s.groups(),
                "pads", new long[] {s.padding().left(), s.padding().right()});
        if (t) {
            node.addAttribute(OnnxModels.attr("output_padding", new long[] {s.outputPadding()}));
        }
        return m;
    }

    @Test
    void aNetOfOneConvIsConv1dOnTheReferenceEngineBitForBit() {
        int ran = 0;
        for (long seed = 0; seed < 300; seed++) {
            Random r = new Random(seed);
            Conv1dSpec s = spec(r, seed % 3 == 2);
            float[] w = random(r, s.weightCount());
            float[] b = s.hasBias() ? random(r, s.outChannels()) : null;
            try (Conv1dNet net = Conv1dNet.load(convModel(s, w, b).bytes("y"), REF);
                    Conv1d op = Conv1d.create(s, w, b, Engine.REFERENCE)) {
                for (int width : WIDTHS) {
                    int batch = 1 + r.nextInt(3);
                    float[] x = random(r, batch * s.inChannels() * width);
                    float[] expected;
                    try {
                        expected = op.forward(x, batch, width);
                    } catch (IllegalArgumentException tooNarrow) {
                        continue;
                    }
                    assertArrayEquals(expected, net.forward(x, batch, width), "seed " + seed + " " + s + " W " + width);
                    ran++;
                }
            }
        }
        assertTrue(ran > 1000, "only " + ran + " runs");
    }

    @Test
    void padThenConvIsConvWithThatPadding() {
        String[] onnxModes = {"constant", "reflect", "edge"};
        PaddingMode[] modes = {PaddingMode.ZEROS, PaddingMode.REFLECT, PaddingMode.REPLICATE};
        for (long seed = 0; seed < 150; seed++) {
            Random r = new Random(seed);
            int mode = (int) (seed % 3);
            Conv1dSpec valid = spec(r, false).toBuilder().padding(Padding.VALID).build();
            int left = r.nextInt(4);
            int right = r.nextInt(4);
            Conv1dSpec padded = valid.toBuilder().padding(Padding.explicit(left, right)).paddingMode(modes[mode])
                    .build();
            float[] w = random(r, valid.weightCount());
            float[] b = valid.hasBias() ? random(r, valid.outChannels()) : null;
            OnnxModels m = convModel(valid, w, b);
            // the conv reads the padded tensor: rename its input, pad x into it
            m.graph().setNode(0, m.graph().getNode(0).toBuilder().setInput(0, "xp"));
            m.longs("pads", new long[] {0, 0, left, 0, 0, right}, 6);
            m.node("Pad", new String[] {"x", "pads"}, "xp", "mode", onnxModes[mode]);
            try (Conv1dNet net = Conv1dNet.load(m.bytes("y"), REF);
                    Conv1d op = Conv1d.create(padded, w, b, Engine.REFERENCE)) {
                for (int width : WIDTHS) {
                    float[] x = random(r, 2 * valid.inChannels() * width);
                    float[] expected;
                    try {
                        expected = op.forward(x, 2, width);
                    } catch (IllegalArgumentException tooNarrow) {
                        continue;
                    }
                    assertArrayEquals(expected, net.forward(x, 2, width), "seed " + seed + " " + padded);
                }
            }
        }
    }

    /**
     * Conv then BatchNorm in the net against one conv with BatchNorm folded into it, {@code g = scale /
     * sqrt(var + eps)}, {@code w' = g*w}, {@code b' = g*(b - mean) + beta}. The net rounds the conv output
     * ({@code u*|z|}, scaled by {@code |g|}) and the BatchNorm output ({@code u*|y|}); the folded conv rounds each
     * folded weight ({@code u * sum |w'||x|}), the folded bias ({@code u*|b'|}) and its output ({@code u*|y|}).
     * Per output channel the two differ by at most the sum, {@code u*(|g|*max|z| + 2*max|y| + sum|w'|*max|x| + |b'|)}.
     */
    @Test
    void batchNormFoldsIntoTheConv() {
        for (long seed = 0; seed < 150; seed++) {
            Random r = new Random(seed);
            Conv1dSpec s = spec(r, false).toBuilder().bias(true).build();
            int co = s.outChannels();
            float[] w = random(r, s.weightCount());
            float[] b = random(r, co);
            float[] scale = random(r, co);
            float[] beta = random(r, co);
            float[] mean = random(r, co);
            float[] var = new float[co];
            for (int c = 0; c < co; c++) {
                var[c] = (float) (0.05 + r.nextDouble() * 3);
            }
            float eps = 1e-5f;
            OnnxModels m = convModel(s, w, b);
            m.graph().setNode(0, m.graph().getNode(0).toBuilder().setOutput(0, "z"));
            m.floats("scale", scale, co).floats("beta", beta, co).floats("mean", mean, co).floats("var", var, co);
            m.node("BatchNormalization", new String[] {"z", "scale", "beta", "mean", "var"}, "y", "epsilon", eps);
            double[] g = new double[co];
            float[] wf = new float[w.length];
            float[] bf = new float[co];
            int row = w.length / co;
            double[] rowSum = new double[co];
            for (int o = 0; o < co; o++) {
                g[o] = scale[o] / Math.sqrt(var[o] + (double) eps);
                for (int j = 0; j < row; j++) {
                    wf[o * row + j] = (float) (g[o] * w[o * row + j]);
                    rowSum[o] += Math.abs(wf[o * row + j]);
                }
                bf[o] = (float) (g[o] * (b[o] - (double) mean[o]) + beta[o]);
            }
            try (Conv1dNet net = Conv1dNet.load(m.bytes("y"), REF);
                    Conv1d conv = Conv1d.create(s, w, b, Engine.REFERENCE);
                    Conv1d folded = Conv1d.create(s, wf, bf, Engine.REFERENCE)) {
                for (int width : WIDTHS) {
                    float[] x = random(r, 2 * s.inChannels() * width);
                    float[] z;
                    try {
                        z = conv.forward(x, 2, width);
                    } catch (IllegalArgumentException tooNarrow) {
                        continue;
                    }
                    float[] y = net.forward(x, 2, width);
                    float[] yf = folded.forward(x, 2, width);
                    int ow = z.length / (2 * co);
                    double xMax = 0;
                    for (float v : x) {
                        xMax = Math.max(xMax, Math.abs(v));
                    }
                    for (int i = 0; i < y.length; i++) {
                        int o = (i / ow) % co;
                        double bound = U * (Math.abs(g[o] * z[i]) + 2 * Math.max(Math.abs(y[i]), Math.abs(yf[i]))
                                + rowSum[o] * xMax + Math.abs(bf[o])) * (1 + 1e-6);
                        assertTrue(Math.abs(y[i] - yf[i]) <= bound, "seed " + seed + " " + s + " W " + width + " at "
                                + i + ": " + y[i] + " vs folded " + yf[i] + ", bound " + bound + " g " + g[o] + " z " + z[i]
                                + " rowSum " + rowSum[o] + " xMax " + xMax + " bf " + bf[o]);
                    }
                }
            }
        }
    }

    /** {@code relu(conv(x)) + x}: the reference rounds each node, so float arithmetic on the pieces is exact. */
    @Test
    void aResidualBlockIsItsPiecesBitForBit() {
        for (long seed = 0; seed < 100; seed++) {
            Random r = new Random(seed);
            int c = 1 + r.nextInt(6);
            int k = 1 + 2 * r.nextInt(3);
            int d = 1 + r.nextInt(3);
            int half = d * (k - 1) / 2;
            Conv1dSpec s = Conv1dSpec.builder(c, c, k).dilation(d).padding(Padding.explicit(half, half)).build();
            float[] w = random(r, s.weightCount());
            float[] b = random(r, c);
            OnnxModels m = convModel(s, w, b);
            m.graph().setNode(0, m.graph().getNode(0).toBuilder().setOutput(0, "z"));
            m.node("Relu", new String[] {"z"}, "a");
            m.node("Add", new String[] {"a", "x"}, "y");
            try (Conv1dNet net = Conv1dNet.load(m.bytes("y"), REF); Conv1d conv = Conv1d.create(s, w, b, Engine.REFERENCE)) {
                for (int width : WIDTHS) {
                    float[] x = random(r, 3 * c * width);
                    float[] z = conv.forward(x, 3, width);
                    float[] expected = new float[z.length];
                    for (int i = 0; i < z.length; i++) {
                        expected[i] = (z[i] > 0 ? z[i] : 0f) + x[i];
                    }
                    assertArrayEquals(expected, net.forward(x, 3, width), "seed " + seed);
                }
            }
        }
    }

    /** Random stacks built as ONNX and directly as a NetGraph in Java give the same bits, in both layouts. */
    @Test
    void randomSequentialNetsReadAsBuilt() {
        String[] acts = {"Relu", "Tanh", "Sigmoid", "LeakyRelu", "Elu", "HardSigmoid", "HardSwish", "Gelu"};
        Pointwise[] fns = {Pointwise.RELU, Pointwise.TANH, Pointwise.SIGMOID, Pointwise.LEAKY_RELU, Pointwise.ELU,
            Pointwise.HARD_SIGMOID, Pointwise.HARD_SWISH, Pointwise.GELU};
        double[][] params = {{0, 0}, {0, 0}, {0, 0}, {0.01f, 0}, {1, 0}, {0.2f, 0.5f}, {0, 0}, {0, 0}};
        for (long seed = 0; seed < 60; seed++) {
            Random r = new Random(seed);
            int c = 1 + r.nextInt(5);
            OnnxModels m = OnnxModels.withInput("x", c).opset(20);
            NetGraph.Builder g = NetGraph.builder("x", c);
            String prev = "x";
            int layers = 1 + r.nextInt(5);
            for (int l = 0; l < layers; l++) {
                int co = 1 + r.nextInt(5);
                int k = 1 + r.nextInt(3);
                Conv1dSpec s = Conv1dSpec.builder(c, co, k).padding(Padding.explicit(k - 1, 0)).build();
                float[] w = random(r, s.weightCount());
                float[] b = random(r, co);
                m.floats("w" + l, w, co, c, k).floats("b" + l, b, co);
                m.node("Conv", new String[] {prev, "w" + l, "b" + l}, "z" + l, "pads", new long[] {k - 1, 0});
                g.add(new ConvNode("Conv" + l, prev, "z" + l, s, w, b, ConvNode.AutoPad.NOTSET, 0));
                int a = r.nextInt(acts.length);
                m.node(acts[a], new String[] {"z" + l}, "a" + l);
                g.add(new PointwiseNode(acts[a] + l, "z" + l, "a" + l, fns[a], params[a][0], params[a][1]));
                prev = "a" + l;
                c = co;
            }
            try (Conv1dNet onnx = Conv1dNet.load(m.bytes(prev), REF);
                    Conv1dNet java = Conv1dNet.create(g.build(prev), REF);
                    Conv1dNet nwc = Conv1dNet.load(m.bytes(prev), REF.withLayout(Layout.NWC))) {
                assertEquals(layers * 2, onnx.graph().nodes().size());
                for (int width : WIDTHS) {
                    float[] x = random(r, 2 * onnx.graph().inputChannels() * width);
                    float[] y = onnx.forward(x, 2, width);
                    assertArrayEquals(java.forward(x, 2, width), y, "seed " + seed);
                    int[] sh = onnx.outputShape(2, width);
                    assertEquals(sh[0] * sh[1] * sh[2], y.length);
                    float[] yt = nwc.forward(NetCasesTest.transpose(x, 2, onnx.graph().inputChannels(), width), 2,
                            width);
                    assertArrayEquals(NetCasesTest.transpose(y, 2, sh[1], sh[2]), yt, "seed " + seed + " NWC");
                }
            }
        }
    }

    /** The GELU and SiLU patterns exporters write are read as the activations, bit for bit. */
    @Test
    void geluAndSiluPatternsAreRecognised() {
        OnnxModels gelu = OnnxModels.withInput("x", 3);
        gelu.floats("sqrt2", new float[] {(float) Math.sqrt(2)}).floats("one", new float[] {1})
                .floats("half", new float[] {0.5f});
        gelu.node("Div", new String[] {"x", "sqrt2"}, "d");
        gelu.node("Erf", new String[] {"d"}, "e");
        gelu.node("Add", new String[] {"e", "one"}, "a");
        gelu.node("Mul", new String[] {"x", "a"}, "m");
        gelu.node("Mul", new String[] {"m", "half"}, "y");
        OnnxModels op = OnnxModels.withInput("x", 3).opset(20);
        op.node("Gelu", new String[] {"x"}, "y");
        OnnxModels silu = OnnxModels.withInput("x", 3);
        silu.node("Sigmoid", new String[] {"x"}, "s");
        silu.node("Mul", new String[] {"s", "x"}, "y");
        Random r = new Random(7);
        float[] x = random(r, 2 * 3 * 11);
        try (Conv1dNet a = Conv1dNet.load(gelu.bytes("y"), REF); Conv1dNet b = Conv1dNet.load(op.bytes("y"), REF);
                Conv1dNet s = Conv1dNet.load(silu.bytes("y"), REF)) {
            assertEquals(1, a.graph().nodes().size());
            assertArrayEquals(b.forward(x, 2, 11), a.forward(x, 2, 11));
            float[] ys = s.forward(x, 2, 11);
            for (int i = 0; i < x.length; i++) {
                assertEquals((float) (x[i] / (1 + Math.exp(-x[i]))), ys[i], Math.ulp(ys[i]), "SiLU at " + i);
            }
        }
        OnnxModels broken = OnnxModels.withInput("x", 3);
        broken.floats("two", new float[] {2});
        broken.node("Div", new String[] {"x", "two"}, "y");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(org.conv1d4j.io.InvalidInputException.class,
                () -> Conv1dNet.load(broken.bytes("y"), REF)).getMessage().contains("GELU pattern"));
    }

    /** PyTorch's {@code F.pad} writes its pads as a constant subgraph; it folds to the same Pad. */
    @Test
    void pytorchPadSubgraphFolds() {
        OnnxModels m = OnnxModels.withInput("x", 2);
        m.longs("c0", new long[] {4}, 1).longs("c1", new long[] {3, 1}, 2).longs("c2", new long[] {-1, 2}, 2)
                .longs("c3", new long[] {0}, 1).longs("c4", new long[] {-1}, 1)
                .longs("c5", new long[] {-9223372036854775807L}, 1).longs("c6", new long[] {-1}, 1)
                .longs("c7", new long[] {-1}, 1);
        TensorProto zero = TensorProto.newBuilder().setDataType(7).addDims(1).addInt64Data(0).build();
        m.node("ConstantOfShape", new String[] {"c0"}, "cos", "value", zero);
        m.node("Concat", new String[] {"c1", "cos"}, "cat", "axis", 0);
        m.node("Reshape", new String[] {"cat", "c2"}, "r");
        m.node("Slice", new String[] {"r", "c4", "c5", "c3", "c6"}, "s");
        m.node("Transpose", new String[] {"s"}, "t", "perm", new long[] {1, 0});
        m.node("Reshape", new String[] {"t", "c7"}, "flat");
        m.node("Cast", new String[] {"flat"}, "pads", "to", 7);
        m.node("Pad", new String[] {"x", "pads", ""}, "y", "mode", "constant");
        try (Conv1dNet net = Conv1dNet.load(m.bytes("y"), REF)) {
            assertEquals(1, net.graph().nodes().size());
            float[] y = net.forward(new float[] {1, 2, 3, 4}, 1, 2);
            assertArrayEquals(new float[] {0, 0, 0, 1, 2, 0, 0, 0, 0, 3, 4, 0}, y);
        }
    }

    /** The pools and Slice against values worked out by hand (PyTorch's AvgPool1d / MaxPool1d semantics). */
    @Test
    void poolsAndSliceByHand() {
        float[] x = {1, 2, 3, 4, 5};
        OnnxModels include = OnnxModels.withInput("x", 1);
        include.node("AveragePool", new String[] {"x"}, "y", "kernel_shape", new long[] {2}, "strides",
                new long[] {2}, "pads", new long[] {1, 1}, "count_include_pad", 1);
        OnnxModels exclude = OnnxModels.withInput("x", 1);
        exclude.node("AveragePool", new String[] {"x"}, "y", "kernel_shape", new long[] {2}, "strides",
                new long[] {2}, "pads", new long[] {1, 1});
        OnnxModels max = OnnxModels.withInput("x", 1);
        max.node("MaxPool", new String[] {"x"}, "y", "kernel_shape", new long[] {3}, "strides", new long[] {2},
                "ceil_mode", 1);
        OnnxModels chomp = OnnxModels.withInput("x", 1).longs("s", new long[] {0}, 1).longs("e", new long[] {-2}, 1)
                .longs("a", new long[] {2}, 1);
        chomp.node("Slice", new String[] {"x", "s", "e", "a"}, "y");
        OnnxModels gap = OnnxModels.withInput("x", 1);
        gap.node("GlobalAveragePool", new String[] {"x"}, "y");
        try (Conv1dNet a = Conv1dNet.load(include.bytes("y"), REF); Conv1dNet b = Conv1dNet.load(exclude.bytes("y"), REF);
                Conv1dNet c = Conv1dNet.load(max.bytes("y"), REF); Conv1dNet d = Conv1dNet.load(chomp.bytes("y"), REF);
                Conv1dNet e = Conv1dNet.load(gap.bytes("y"), REF)) {
            assertArrayEquals(new float[] {0.5f, 2.5f, 4.5f}, a.forward(x, 1, 5));
            assertArrayEquals(new float[] {1, 2.5f, 4.5f}, b.forward(x, 1, 5));
            assertArrayEquals(new float[] {3, 5, 6}, c.forward(new float[] {1, 2, 3, 4, 5, 6}, 1, 6));
            assertArrayEquals(new float[] {1, 2, 3}, d.forward(x, 1, 5));
            assertArrayEquals(new float[] {3}, e.forward(x, 1, 5));
        }
    }

    /**
     * {@code Shape} arithmetic folds at load time where the dims it reads are known (C), and is resolved per width
     * where they are not (W).
     */
    @Test
    void shapeArithmeticResolvesOnKnownDims() {
        OnnxModels m = OnnxModels.withInput("x", 2).longs("idx", new long[] {1}, 1).longs("five", new long[] {0, 0,
            1, 0, 0}, 5);
        m.node("Shape", new String[] {"x"}, "shape");
        m.node("Gather", new String[] {"shape", "idx"}, "c", "axis", 0);
        m.node("Concat", new String[] {"five", "c"}, "pads", "axis", 0);
        m.node("Pad", new String[] {"x", "pads"}, "y", "mode", "edge");
        try (Conv1dNet net = Conv1dNet.load(m.bytes("y"), REF)) {
            // left 1, right C = 2, edge mode
            assertArrayEquals(new float[] {1, 1, 2, 2, 2, 3, 3, 4, 4, 4}, net.forward(new float[] {1, 2, 3, 4}, 1, 2));
        }
        OnnxModels w = OnnxModels.withInput("x", 2).longs("idx", new long[] {2}, 1).longs("five", new long[] {0, 0,
            1, 0, 0}, 5);
        w.node("Shape", new String[] {"x"}, "shape");
        w.node("Gather", new String[] {"shape", "idx"}, "c", "axis", 0);
        w.node("Concat", new String[] {"five", "c"}, "pads", "axis", 0);
        w.node("Pad", new String[] {"x", "pads"}, "y");
        try (Conv1dNet net = Conv1dNet.load(w.bytes("y"), REF)) {
            // left 1, right W, zeros
            assertArrayEquals(new float[] {0, 1, 2, 0, 0, 0, 3, 4, 0, 0}, net.forward(new float[] {1, 2, 3, 4}, 1, 2));
            assertArrayEquals(new int[] {1, 2, 7}, net.outputShape(1, 3));
        }
    }

    /**
     * A slice whose end is computed from the sliced tensor's symbolic width ({@code y[:, :, :y.shape[2] - 2]}, as
     * PyTorch exports a chomp written with the shape) is resolved per width: the same as the end {@code -2}, on the
     * reference and on oneDNN (where it folds into the conv); other arithmetic on a width is resolved per width too,
     * and a width turned into a float is refused by name.
     */
    @Test
    void sliceEndsFromTheSymbolicWidthResolvePerWidth() {
        Random r = new Random(8);
        Conv1dSpec padded = Conv1dSpec.builder(2, 3, 3).padding(Padding.explicit(2, 2)).build();
        Conv1dSpec causal = Conv1dSpec.builder(2, 3, 3).padding(Padding.explicit(2, 0)).build();
        float[] w = random(r, padded.weightCount());
        float[] b = random(r, 3);
        OnnxModels m = OnnxModels.withInput("x", 2).floats("w", w, 3, 2, 3).floats("b", b, 3)
                .longs("two", new long[] {2}, 1).longs("axis", new long[] {2}, 1).longs("zero", new long[] {0}, 1)
                .longs("k", new long[] {2}, 1);
        m.node("Conv", new String[] {"x", "w", "b"}, "y", "pads", new long[] {2, 2});
        m.node("Shape", new String[] {"y"}, "shape");
        m.node("Gather", new String[] {"shape", "two"}, "width", "axis", 0);
        m.node("Sub", new String[] {"width", "k"}, "end");
        m.node("Slice", new String[] {"y", "zero", "end", "axis"}, "z");
        for (NetOptions options : new NetOptions[] {REF, NetOptions.defaults()}) {
            try (Conv1dNet net = Conv1dNet.load(m.bytes("z"), options);
                    Conv1d op = Conv1d.create(causal, w, b, Engine.REFERENCE)) {
                for (int width : WIDTHS) {
                    float[] x = random(r, 2 * 2 * width);
                    float[] want = op.forward(x, 2, width);
                    float[] got = net.forward(x, 2, width);
                    if (options.engine() == Engine.REFERENCE) {
                        assertArrayEquals(want, got, "W " + width);
                    } else {
                        NetCrossCheck.Report check = NetCrossCheck.compare(net, x, got, 2, width);
                        assertTrue(check.passed(), "oneDNN, W " + width + ": " + check);
                    }
                }
            }
        }
        OnnxModels twice = OnnxModels.withInput("x", 2).longs("two", new long[] {2}, 1).longs("zero", new long[] {0}, 1)
                .longs("axis", new long[] {2}, 1);
        twice.node("Shape", new String[] {"x"}, "shape");
        twice.node("Gather", new String[] {"shape", "two"}, "width", "axis", 0);
        twice.node("Mul", new String[] {"width", "two"}, "end");
        twice.node("Slice", new String[] {"x", "zero", "end", "axis"}, "z");
        try (Conv1dNet net = Conv1dNet.load(twice.bytes("z"), REF)) {
            float[] x = random(r, 2 * 5);
            assertArrayEquals(x, net.forward(x, 1, 5), "an end of 2W keeps the whole width");
        }
        OnnxModels real = OnnxModels.withInput("x", 2).longs("two", new long[] {2}, 1).longs("zero", new long[] {0}, 1)
                .longs("axis", new long[] {2}, 1);
        real.node("Shape", new String[] {"x"}, "shape");
        real.node("Gather", new String[] {"shape", "two"}, "width", "axis", 0);
        real.node("Cast", new String[] {"width"}, "end", "to", 1);
        real.node("Slice", new String[] {"x", "zero", "end", "axis"}, "z");
        String why = org.junit.jupiter.api.Assertions.assertThrows(org.conv1d4j.io.InvalidInputException.class,
                () -> Conv1dNet.load(real.bytes("z"), REF)).getMessage();
        assertTrue(why.contains("(Cast)") && why.contains("symbolic batch or width"), why);
    }

    /**
     * {@code auto_pad} and {@code output_shape} derive the padding from the width: {@code SAME_UPPER} is Keras'
     * {@code same}; a transposed conv asked for PyTorch's output width {@code (W-1)*s - 2p + K} gets pads {@code [p, p]}.
     */
    @Test
    void autoPadAndOutputShapeMatchTheExplicitPadding() {
        for (long seed = 0; seed < 60; seed++) {
            Random r = new Random(seed);
            Conv1dSpec s = spec(r, false).toBuilder().padding(Padding.SAME).build();
            float[] w = random(r, s.weightCount());
            float[] b = s.hasBias() ? random(r, s.outChannels()) : null;
            OnnxModels m = convModel(s, w, b);
            m.graph().setNode(0, m.graph().getNode(0).toBuilder().removeAttribute(4)
                    .addAttribute(OnnxModels.attr("auto_pad", "SAME_UPPER")));
            try (Conv1dNet net = Conv1dNet.load(m.bytes("y"), REF); Conv1d op = Conv1d.create(s, w, b, Engine.REFERENCE)) {
                for (int width : WIDTHS) {
                    float[] x = random(r, s.inChannels() * width);
                    assertArrayEquals(op.forward(x, 1, width), net.forward(x, 1, width), "seed " + seed + " " + s);
                }
            }
        }
        for (long seed = 0; seed < 60; seed++) {
            Random r = new Random(seed);
            int p = r.nextInt(3);
            Conv1dSpec s = spec(r, true).toBuilder().padding(Padding.explicit(p, p)).outputPadding(0).build();
            float[] w = random(r, s.weightCount());
            float[] b = s.hasBias() ? random(r, s.outChannels()) : null;
            int width = 3 + r.nextInt(9);
            int out = (width - 1) * s.stride() - 2 * p + s.effectiveKernel();
            if (out < 1) {
                continue;
            }
            OnnxModels m = convModel(s, w, b);
            m.graph().setNode(0, m.graph().getNode(0).toBuilder().removeAttribute(4)
                    .addAttribute(OnnxModels.attr("output_shape", new long[] {out})));
            m.graph().clearInput().addInput(OnnxModels.value("x", "N", s.inChannels(), width));
            try (Conv1dNet net = Conv1dNet.load(m.bytes("y"), REF); Conv1d op = Conv1d.create(s, w, b, Engine.REFERENCE)) {
                float[] x = random(r, 2 * s.inChannels() * width);
                assertArrayEquals(op.forward(x, 2, width), net.forward(x, 2, width), "seed " + seed + " " + s);
                assertThrows(IllegalArgumentException.class, () -> net.forward(new float[s.inChannels() * (width + 1)],
                        1, width + 1), "the model fixes W");
            }
        }
    }
}
