package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.bench.OnnxProtos;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;

import java.util.List;
import java.util.Random;

import static org.conv1d4j.bench.OnnxProtos.ints;

/**
 * Writes an ONNX model (IR 8, opset 17) the way PyTorch's exporter writes a Conv1D network: one input {@code x} of
 * shape {@code (N, C, W)} with symbolic {@code N} and {@code W}, float initializers, one output. Each method adds
 * the nodes of one layer and returns the name of the tensor it computes. Weights are He-scaled Gaussians
 * ({@code std = sqrt(2 / fan_in)}) drawn from the seeded generator, so a seed gives the same bytes every time.
 */
final class OnnxGraph {

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Random random;
    private final int inputChannels;
    private int counter;
    private String sqrt2;
    private String one;
    private String half;

    /**
     * @param name the graph's name
     * @param inputChannels {@code C} of the input {@code x}
     * @param seed the weights' seed
     */
    OnnxGraph(String name, int inputChannels, long seed) {
        graph.setName(name);
        this.inputChannels = inputChannels;
        this.random = new Random(seed);
    }

    /** @return the input's name */
    static String input() {
        return "x";
    }

    private String fresh(String what) {
        return what + "_" + counter++;
    }

    /**
     * A {@code Conv} with explicit pads.
     *
     * @param x the input tensor
     * @param cin its channels
     * @param cout output channels
     * @param k kernel size
     * @param stride stride
     * @param dilation dilation
     * @param groups groups
     * @param padLeft pads at the start of W
     * @param padRight pads at the end of W
     * @param bias whether the conv has a bias input
     * @return the output tensor
     */
    String conv(String x, int cin, int cout, int k, int stride, int dilation, int groups, int padLeft, int padRight,
            boolean bias) {
        return conv(x, cin, cout, k, stride, dilation, groups, padLeft, padRight, bias, 1);
    }

    /**
     * A {@code Conv} whose He-scaled weights are multiplied by {@code gain}: below 1 for the last conv of a residual
     * branch, so that a deep stack of residual blocks keeps its activations near 1, as a trained one does.
     *
     * @param x the input tensor
     * @param cin its channels
     * @param cout output channels
     * @param k kernel size
     * @param stride stride
     * @param dilation dilation
     * @param groups groups
     * @param padLeft pads at the start of W
     * @param padRight pads at the end of W
     * @param bias whether the conv has a bias input
     * @param gain the factor on the weights' standard deviation
     * @return the output tensor
     */
    String conv(String x, int cin, int cout, int k, int stride, int dilation, int groups, int padLeft, int padRight,
            boolean bias, double gain) {
        String name = fresh("conv");
        int fanIn = cin / groups * k;
        String w = initializer(name + ".weight", gaussian(cout * fanIn, gain * Math.sqrt(2.0 / fanIn)), cout,
                cin / groups, k);
        NodeProto.Builder n = node("Conv", name, x, w);
        if (bias) {
            n.addInput(initializer(name + ".bias", gaussian(cout, 0.05), cout));
        }
        n.addAttribute(ints("kernel_shape", k)).addAttribute(ints("strides", stride))
                .addAttribute(ints("pads", padLeft, padRight)).addAttribute(ints("dilations", dilation))
                .addAttribute(OnnxProtos.integer("group", groups));
        return add(n);
    }

    /**
     * {@code BatchNormalization} (inference) with running statistics near those of a trained layer.
     *
     * @param x the input tensor
     * @param c its channels
     * @return the output tensor
     */
    String batchNorm(String x, int c) {
        String name = fresh("bn");
        NodeProto.Builder n = node("BatchNormalization", name, x,
                initializer(name + ".weight", uniform(c, 0.8, 1.2), c),
                initializer(name + ".bias", gaussian(c, 0.05), c),
                initializer(name + ".running_mean", gaussian(c, 0.05), c),
                initializer(name + ".running_var", uniform(c, 0.8, 1.2), c));
        n.addAttribute(AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
                .setF(1e-5f));
        return add(n);
    }

    /**
     * @param x the input tensor
     * @return {@code Relu(x)}
     */
    String relu(String x) {
        return add(node("Relu", fresh("relu"), x));
    }

    /**
     * @param x the input tensor
     * @return {@code Sigmoid(x)}
     */
    String sigmoid(String x) {
        return add(node("Sigmoid", fresh("sigmoid"), x));
    }

    /**
     * {@code PRelu} with one slope for all channels ({@code nn.PReLU()}'s default), 0.25 as initialised.
     *
     * @param x the input tensor
     * @return the output tensor
     */
    String prelu(String x) {
        String name = fresh("prelu");
        return add(node("PRelu", name, x, initializer(name + ".weight", new float[] {0.25f}, 1)));
    }

    /**
     * GELU as PyTorch's exporter writes it before opset 20: {@code Div(x, sqrt 2) -> Erf -> Add(., 1) -> Mul(x, .)
     * -> Mul(., 0.5)}.
     *
     * @param x the input tensor
     * @return the output tensor
     */
    String gelu(String x) {
        if (sqrt2 == null) {
            sqrt2 = initializer("gelu.sqrt2", new float[] {(float) Math.sqrt(2)});
            one = initializer("gelu.one", new float[] {1f});
            half = initializer("gelu.half", new float[] {0.5f});
        }
        String name = fresh("gelu");
        String d = add(node("Div", name + ".div", x, sqrt2));
        String e = add(node("Erf", name + ".erf", d));
        String a = add(node("Add", name + ".add", e, one));
        String m = add(node("Mul", name + ".mul", x, a));
        return add(node("Mul", name + ".half", m, half));
    }

    /**
     * @param a one tensor
     * @param b another of the same shape
     * @return {@code a + b}
     */
    String add(String a, String b) {
        return add(node("Add", fresh("add"), a, b));
    }

    /**
     * {@code Pad} along W with zeros, its pads an initializer as {@code F.pad} exports them.
     *
     * @param x the input tensor
     * @param left zeros before
     * @param right zeros after
     * @return the output tensor
     */
    String pad(String x, int left, int right) {
        String name = fresh("pad");
        return add(node("Pad", name, x, longs(name + ".pads", 0, 0, left, 0, 0, right)));
    }

    /**
     * {@code Slice} along W, as a TCN's "chomp" is exported.
     *
     * @param x the input tensor
     * @param start first position kept
     * @param end one past the last, negative from the end
     * @return the output tensor
     */
    String slice(String x, long start, long end) {
        String name = fresh("slice");
        return add(node("Slice", name, x, longs(name + ".starts", start), longs(name + ".ends", end),
                longs(name + ".axes", 2)));
    }

    /**
     * @param x the input tensor
     * @return {@code GlobalMaxPool(x)}, width 1
     */
    String globalMaxPool(String x) {
        return add(node("GlobalMaxPool", fresh("gmp"), x));
    }

    /**
     * @param xs tensors of the same width
     * @return their concatenation along the channels
     */
    String concat(List<String> xs) {
        NodeProto.Builder n = node("Concat", fresh("concat"), xs.toArray(new String[0]));
        n.addAttribute(OnnxProtos.integer("axis", 1));
        return add(n);
    }

    /**
     * @param output the tensor the model returns
     * @param outputChannels its channels
     * @return the model's bytes
     */
    byte[] model(String output, int outputChannels) {
        graph.addInput(OnnxProtos.value(input(), "N", inputChannels, "W"));
        graph.addOutput(OnnxProtos.value(output, "N", outputChannels, "W_out"));
        return OnnxProtos.model(graph);
    }

    private static NodeProto.Builder node(String op, String name, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(name + ".out");
        for (String i : inputs) {
            n.addInput(i);
        }
        return n;
    }

    private String add(NodeProto.Builder n) {
        graph.addNode(n);
        return n.getOutput(0);
    }

    private float[] gaussian(int n, double std) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * std);
        }
        return a;
    }

    private float[] uniform(int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return a;
    }

    private String initializer(String name, float[] values, long... dims) {
        graph.addInitializer(OnnxProtos.floats(name, values, dims));
        return name;
    }

    private String longs(String name, long... values) {
        graph.addInitializer(OnnxProtos.longs(name, values));
        return name;
    }
}
