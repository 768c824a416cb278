package org.conv1d4j.net;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.SafeTensors;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.PaddingMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds a {@link NetGraph} layer by layer, for weights that come as arrays or from a safetensors file rather than
 * from an ONNX model: a sequential stack, with residual blocks ({@code x + block(x)}) and parallel branches
 * concatenated along the channels. Each call appends a layer to the end of the stack; names are generated
 * ({@code conv1}, {@code batchnorm1}, {@code relu1}, {@code add1}, ...), or are the layer's name in the file.
 *
 * <pre>{@code
 * NetGraph g = NetBuilder.input("x", 1)
 *         .weights(SafeTensors.read(file), TensorNames.PYTORCH)
 *         .conv("conv1", Conv1dSpec.pytorch(1, 32, 5).padding(Padding.explicit(2, 2)).bias(false).build())
 *         .batchNorm("bn1")
 *         .activation(Pointwise.RELU)
 *         .residual(b -> b.conv("block.conv", spec32).activation(Pointwise.RELU))
 *         .build();
 * }</pre>
 *
 * <p>Every conv becomes what an ONNX model of the same layer imports as, so every engine runs the graph: the weights
 * are converted from the spec's {@link Conv1dSpec#weightLayout()} (Keras' {@code WIO} included) to {@code OIW} /
 * {@code IOW}; the spec's layout does not matter (a network's layout is {@link org.conv1d4j.NetOptions}'); its
 * activation becomes a node of its own, a non-zero padding mode a {@code Pad} node. Channel counts are checked as
 * each layer is added, widths when the graph runs. Arguments that do not fit throw
 * {@link IllegalArgumentException} naming the parameter; a tensor missing from the file, or of the wrong shape or
 * dtype, throws {@link InvalidInputException} naming the tensor. Not thread-safe; the graphs it builds are immutable.
 */
public final class NetBuilder {
    private final Shared shared;
    private final boolean root;
    private String tensor;
    private int channels;
    private boolean open = true;
    private boolean busy;

    /** What the builder of the whole stack and the builders of its blocks share. */
    private static final class Shared {
        final String inputName;
        final int inputChannels;
        final List<NetNode> nodes = new ArrayList<>();
        final Set<String> used = new HashSet<>();
        final Map<String, Integer> counters = new HashMap<>();
        SafeTensors file;
        TensorNames names;

        Shared(String inputName, int inputChannels) {
            this.inputName = inputName;
            this.inputChannels = inputChannels;
            used.add(inputName);
        }
    }

    private NetBuilder(Shared shared, boolean root, String tensor, int channels) {
        this.shared = shared;
        this.root = root;
        this.tensor = tensor;
        this.channels = channels;
    }

    /**
     * Starts a stack.
     *
     * @param name the input tensor's name
     * @param channels its channel count {@code C}
     * @return the builder
     * @throws IllegalArgumentException naming {@code name} or {@code channels} when it is impossible
     */
    public static NetBuilder input(String name, int channels) {
        NodeChecks.name("name", name);
        if (channels < 1) {
            throw new IllegalArgumentException("channels: must be >= 1, got " + channels);
        }
        return new NetBuilder(new Shared(name, channels), true, name, channels);
    }

    /**
     * Sets the file the methods taking a layer's name read from (for the whole stack, its blocks included).
     *
     * @param file the tensors
     * @param names how the file names a layer's tensors
     * @return this
     * @throws IllegalArgumentException naming a null argument
     */
    public NetBuilder weights(SafeTensors file, TensorNames names) {
        checkUsable();
        if (file == null) {
            throw new IllegalArgumentException("file: must not be null");
        }
        if (names == null) {
            throw new IllegalArgumentException("names: must not be null");
        }
        shared.file = file;
        shared.names = names;
        return this;
    }

    /** @return the channel count at the end of the stack so far */
    public int channels() {
        return channels;
    }

    /** @return the name of the tensor at the end of the stack so far */
    public String tensor() {
        return tensor;
    }

    /**
     * Appends a conv ({@code Conv} or {@code ConvTranspose}, as the spec's op says).
     *
     * @param spec the layer; its {@code inChannels} must be the stack's channels
     * @param weights {@code spec.weightCount()} floats in the spec's weight layout (copied)
     * @param bias {@code C_out} floats, or {@code null} when the spec has no bias (copied)
     * @return this
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetBuilder conv(Conv1dSpec spec, float[] weights, float[] bias) {
        checkUsable();
        return appendConv(generated("conv"), spec, weights, bias);
    }

    /**
     * Appends a conv whose weights are the file's {@code names.convWeight(layer)} (shaped as the spec's weight
     * layout says, e.g. PyTorch's {@code (C_out, C_in/G, K)}) and, when the spec has a bias,
     * {@code names.convBias(layer)}. The node is named {@code layer}. With {@link TensorNames#PYTORCH}, a conv
     * wrapped in {@code weight_norm} ({@code layer.weight_g} and {@code layer.weight_v}, or
     * {@code layer.parametrizations.weight.original0} and {@code original1}) gets the weight
     * {@code g * v / ||v||} per row of dim 0, computed in double.
     *
     * @param layer the layer's name in the file, e.g. {@code conv1} or {@code blocks.0.conv}
     * @param spec the layer's attributes
     * @return this
     * @throws InvalidInputException naming the tensor that is missing, or of the wrong shape or dtype, or a bias
     *     tensor the spec does not expect
     * @throws IllegalStateException when no file was set with {@link #weights(SafeTensors, TensorNames)}
     */
    public NetBuilder conv(String layer, Conv1dSpec spec) {
        checkUsable();
        NodeChecks.name("layer", layer);
        if (spec == null) {
            throw new IllegalArgumentException("spec: must not be null");
        }
        SafeTensors f = file();
        String w = shared.names.convWeight(layer);
        float[] folded = !f.contains(w) && shared.names == TensorNames.PYTORCH
                ? WeightNorm.fold(f, layer, spec.weightShape()) : null;
        float[] weights = folded != null ? folded
                : tensor(w, spec.weightShape(), spec.weightLayout() + " " + Arrays.toString(spec.weightShape()));
        String b = shared.names.convBias(layer);
        float[] bias = null;
        if (spec.hasBias()) {
            if (!f.contains(b)) {
                throw new InvalidInputException("tensor '" + b + "': not in " + f
                        + "; the spec has a bias (build it with bias(false) if the layer has none)");
            }
            bias = tensor(b, new int[] {spec.outChannels()}, "(C_out) [" + spec.outChannels() + "]");
        } else if (f.contains(b)) {
            throw new InvalidInputException("tensor '" + b + "': the file has a bias for layer '" + layer
                    + "' but the spec has bias=false");
        }
        return appendConv(fresh(layer), spec, weights, bias);
    }

    /**
     * Appends a BatchNorm in inference mode: {@code y = scale * (x - mean) / sqrt(variance + epsilon) + bias} per
     * channel.
     *
     * @param scale {@code C} floats (gamma; copied)
     * @param bias {@code C} floats (beta; copied)
     * @param mean the running mean, {@code C} floats (copied)
     * @param variance the running variance, {@code C} floats (copied)
     * @param epsilon added to the variance
     * @return this
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetBuilder batchNorm(float[] scale, float[] bias, float[] mean, float[] variance, double epsilon) {
        checkUsable();
        String name = generated("batchnorm");
        return append(new BatchNormNode(name, tensor, name, scale, bias, mean, variance, epsilon));
    }

    /**
     * Appends the file's BatchNorm {@code layer} with the framework's default epsilon
     * ({@link TensorNames#defaultEpsilon()}).
     *
     * @param layer the layer's name in the file, e.g. {@code bn1}
     * @return this
     * @throws InvalidInputException as {@link #batchNorm(String, double)}
     */
    public NetBuilder batchNorm(String layer) {
        checkUsable();
        file();
        return batchNorm(layer, shared.names.defaultEpsilon());
    }

    /**
     * Appends the file's BatchNorm {@code layer}: running mean and variance (required), scale and bias (ones and
     * zeros when the file has none, as for PyTorch's {@code affine=False}); each {@code C} values. The node is named
     * {@code layer}.
     *
     * @param layer the layer's name in the file, e.g. {@code bn1}
     * @param epsilon added to the variance
     * @return this
     * @throws InvalidInputException naming the tensor that is missing, or of the wrong shape or dtype
     * @throws IllegalStateException when no file was set with {@link #weights(SafeTensors, TensorNames)}
     */
    public NetBuilder batchNorm(String layer, double epsilon) {
        checkUsable();
        NodeChecks.name("layer", layer);
        SafeTensors f = file();
        TensorNames n = shared.names;
        int[] shape = {channels};
        String what = "(C) [" + channels + "]";
        for (String stat : new String[] {n.normMean(layer), n.normVariance(layer)}) {
            if (!f.contains(stat)) {
                throw new InvalidInputException("tensor '" + stat + "': not in " + f + "; a BatchNorm without running "
                        + "statistics normalizes by the batch and is not supported");
            }
        }
        float[] mean = tensor(n.normMean(layer), shape, what);
        float[] variance = tensor(n.normVariance(layer), shape, what);
        float[] scale = f.contains(n.normScale(layer)) ? tensor(n.normScale(layer), shape, what) : filled(1f);
        float[] bias = f.contains(n.normBias(layer)) ? tensor(n.normBias(layer), shape, what) : filled(0f);
        String name = fresh(layer);
        return append(new BatchNormNode(name, tensor, name, scale, bias, mean, variance, epsilon));
    }

    /**
     * Appends an activation with the parameters ONNX defaults to: {@code LEAKY_RELU} alpha 0.01, {@code ELU} alpha
     * 1, {@code HARD_SIGMOID} alpha 0.2 and beta 0.5; none for the others. {@code CLIP} has no default: use
     * {@link #activation(Pointwise, double, double)}.
     *
     * @param function the activation
     * @return this
     * @throws IllegalArgumentException naming {@code function} when it is null or {@code CLIP}
     */
    public NetBuilder activation(Pointwise function) {
        if (function == null) {
            throw new IllegalArgumentException("function: must not be null");
        }
        return switch (function) {
            case LEAKY_RELU -> activation(function, 0.01, 0);
            case ELU -> activation(function, 1, 0);
            case HARD_SIGMOID -> activation(function, 0.2, 0.5);
            case CLIP -> throw new IllegalArgumentException("function: CLIP needs its min and max; use "
                    + "activation(Pointwise.CLIP, min, max)");
            default -> activation(function, 0, 0);
        };
    }

    /**
     * Appends an activation.
     *
     * @param function the activation
     * @param alpha its first parameter (see {@link Pointwise}); 0 where it has none
     * @param beta its second parameter; 0 where it has none
     * @return this
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetBuilder activation(Pointwise function, double alpha, double beta) {
        checkUsable();
        if (function == null) {
            throw new IllegalArgumentException("function: must not be null");
        }
        String name = generated(function.toString());
        return append(new PointwiseNode(name, tensor, name, function, alpha, beta));
    }

    /**
     * Appends a PReLU: {@code x >= 0 ? x : slope[c] * x}.
     *
     * @param slope {@code C} floats, or one for every channel (copied)
     * @return this
     * @throws IllegalArgumentException naming {@code slope} when it does not fit
     */
    public NetBuilder prelu(float[] slope) {
        checkUsable();
        String name = generated("prelu");
        return append(new PReluNode(name, tensor, name, slope));
    }

    /**
     * Appends the file's PReLU {@code layer}: {@code names.preluSlope(layer)}, one value or {@code C} (any shape
     * holding that many, such as Keras' {@code (1, C)}). The node is named {@code layer}.
     *
     * @param layer the layer's name in the file
     * @return this
     * @throws InvalidInputException naming the tensor that is missing, or of the wrong size or dtype
     * @throws IllegalStateException when no file was set with {@link #weights(SafeTensors, TensorNames)}
     */
    public NetBuilder prelu(String layer) {
        checkUsable();
        NodeChecks.name("layer", layer);
        SafeTensors f = file();
        String t = shared.names.preluSlope(layer);
        float[] slope = f.floats(t);
        if (slope.length != 1 && slope.length != channels) {
            throw new InvalidInputException("tensor '" + t + "': shape " + Arrays.toString(f.shape(t)) + " holds "
                    + slope.length + " slopes; expected 1 or C = " + channels);
        }
        String name = fresh(layer);
        return append(new PReluNode(name, tensor, name, slope));
    }

    /**
     * Appends a {@code Pad} along W.
     *
     * @param left positions added before the input
     * @param right positions added after it
     * @param mode how they are filled
     * @return this
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetBuilder pad(int left, int right, PaddingMode mode) {
        checkUsable();
        String name = generated("pad");
        return append(new PadNode(name, tensor, name, left, right, mode));
    }

    /**
     * Appends a {@code Slice} along W, {@code [start, end)}; negative values count from the end, as in ONNX (the
     * causal "chomp" of {@code n} positions is {@code slice(0, -n)}).
     *
     * @param start the first position kept
     * @param end one past the last position kept
     * @return this
     */
    public NetBuilder slice(long start, long end) {
        checkUsable();
        String name = generated("slice");
        return append(new SliceNode(name, tensor, name, start, end));
    }

    /**
     * Appends a max pool without padding (PyTorch's {@code MaxPool1d(kernel, stride)}).
     *
     * @param kernel the window
     * @param stride the step
     * @return this
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetBuilder maxPool(int kernel, int stride) {
        return pool(true, kernel, stride, 0, 0, 1, false, true);
    }

    /**
     * Appends an average pool without padding (PyTorch's {@code AvgPool1d(kernel, stride)}).
     *
     * @param kernel the window
     * @param stride the step
     * @return this
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetBuilder averagePool(int kernel, int stride) {
        return pool(false, kernel, stride, 0, 0, 1, false, true);
    }

    /**
     * Appends a pool with every attribute of {@link PoolNode}.
     *
     * @param max true for the maximum, false for the average
     * @param kernel the window
     * @param stride the step
     * @param padLeft padding before the input
     * @param padRight padding after the input
     * @param dilation the spacing of the window's taps
     * @param ceilMode whether the output width rounds up
     * @param countIncludePad whether an average counts padded positions
     * @return this
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetBuilder pool(boolean max, int kernel, int stride, int padLeft, int padRight, int dilation,
            boolean ceilMode, boolean countIncludePad) {
        checkUsable();
        String name = generated(max ? "maxpool" : "averagepool");
        return append(new PoolNode(name, tensor, name, max, kernel, stride, padLeft, padRight, dilation, ceilMode,
                countIncludePad));
    }

    /**
     * Appends the maximum over W (the output is 1 wide).
     *
     * @return this
     */
    public NetBuilder globalMaxPool() {
        checkUsable();
        String name = generated("globalmaxpool");
        return append(new GlobalPoolNode(name, tensor, name, true));
    }

    /**
     * Appends the mean over W (the output is 1 wide).
     *
     * @return this
     */
    public NetBuilder globalAveragePool() {
        checkUsable();
        String name = generated("globalaveragepool");
        return append(new GlobalPoolNode(name, tensor, name, false));
    }

    /**
     * Appends a residual block: {@code block(x) + x}, where {@code x} is the stack so far. The block must end with
     * as many channels (and, when it runs, as wide) as it starts.
     *
     * @param block appends the block's layers to the builder it is given (use only that builder, only inside)
     * @return this
     * @throws IllegalArgumentException naming {@code block} when its channels differ from its input's
     */
    public NetBuilder residual(Consumer<NetBuilder> block) {
        return residual(block, null);
    }

    /**
     * Appends a residual block with a shortcut: {@code block(x) + shortcut(x)}, such as a TCN block whose shortcut
     * is a 1x1 conv that changes the channels.
     *
     * @param block appends the block's layers to the builder it is given (use only that builder, only inside)
     * @param shortcut appends the shortcut's layers likewise, or {@code null} for the identity
     * @return this
     * @throws IllegalArgumentException naming {@code block} when the two end with different channel counts
     */
    public NetBuilder residual(Consumer<NetBuilder> block, Consumer<NetBuilder> shortcut) {
        checkUsable();
        if (block == null) {
            throw new IllegalArgumentException("block: must not be null");
        }
        NetBuilder main = branch(block);
        NetBuilder skip = shortcut == null ? this : branch(shortcut);
        if (main.channels != skip.channels) {
            throw new IllegalArgumentException("block: ends with " + main.channels + " channels, the "
                    + (shortcut == null ? "input" : "shortcut") + " with " + skip.channels
                    + "; the residual Add needs the same shape (give it a shortcut, such as a 1x1 conv)");
        }
        String name = generated("add");
        AddNode add = new AddNode(name, main.tensor, skip.tensor, name);
        shared.nodes.add(add);
        tensor = name;
        channels = main.channels;
        return this;
    }

    /**
     * Appends parallel branches, each reading the stack so far, concatenated along the channels in order (a
     * text-CNN's convs of several widths). A branch that appends nothing is the stack itself: {@code concat} of a
     * block and an empty branch is a U-Net skip or a DenseNet layer. Every branch must end as wide as the others
     * when it runs.
     *
     * @param branches each appends its layers to the builder it is given (use only that builder, only inside)
     * @return this
     * @throws IllegalArgumentException naming {@code branches} when there are none or one is null
     */
    public NetBuilder concat(List<Consumer<NetBuilder>> branches) {
        checkUsable();
        if (branches == null || branches.isEmpty()) {
            throw new IllegalArgumentException("branches: must hold at least one branch");
        }
        List<String> outputs = new ArrayList<>();
        int[] branchChannels = new int[branches.size()];
        for (int i = 0; i < branchChannels.length; i++) {
            if (branches.get(i) == null) {
                throw new IllegalArgumentException("branches: must not hold null");
            }
            NetBuilder branch = branch(branches.get(i));
            outputs.add(branch.tensor);
            branchChannels[i] = branch.channels;
        }
        String name = generated("concat");
        ConcatNode concat = new ConcatNode(name, outputs, name);
        int sum;
        try {
            sum = concat.outputChannels(branchChannels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("branches: " + e.getMessage(), e);
        }
        shared.nodes.add(concat);
        tensor = name;
        channels = sum;
        return this;
    }

    /**
     * Builds the graph: the input, every layer appended, the output the end of the stack.
     *
     * @return the graph (the builder stays usable: more layers give a longer graph)
     * @throws IllegalStateException when called on a block's builder
     * @throws InvalidInputException as {@link NetGraph.Builder#build(String)}
     */
    public NetGraph build() {
        checkUsable();
        if (!root) {
            throw new IllegalStateException("build: call it on the builder NetBuilder.input returned, not a block's");
        }
        NetGraph.Builder g = NetGraph.builder(shared.inputName, shared.inputChannels);
        shared.nodes.forEach(g::add);
        return g.build(tensor);
    }

    private NetBuilder branch(Consumer<NetBuilder> body) {
        NetBuilder child = new NetBuilder(shared, false, tensor, channels);
        busy = true;
        try {
            body.accept(child);
        } finally {
            busy = false;
            child.open = false;
        }
        return child;
    }

    private NetBuilder appendConv(String name, Conv1dSpec spec, float[] weights, float[] bias) {
        if (spec != null && spec.inChannels() != channels) {
            throw new IllegalArgumentException("spec: layer '" + name + "' expects " + spec.inChannels()
                    + " input channels; the stack has " + channels + " at '" + tensor + "'");
        }
        for (SingleInputNode n : ConvNodes.of(name, tensor, spec, weights, bias, s -> fresh(name + "_" + s))) {
            append(n);
        }
        return this;
    }

    private NetBuilder append(SingleInputNode node) {
        int c;
        try {
            c = node.outputChannels(channels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^channels: ", "channels: layer '"
                    + node.name() + "' (" + node.opType() + "): "), e);
        }
        shared.nodes.add(node);
        tensor = node.output();
        channels = c;
        return this;
    }

    private float[] tensor(String name, int[] shape, String expected) {
        SafeTensors f = shared.file;
        int[] actual = f.shape(name);
        if (!Arrays.equals(actual, shape)) {
            throw new InvalidInputException("tensor '" + name + "': shape " + Arrays.toString(actual) + ", expected "
                    + expected);
        }
        return f.floats(name);
    }

    private float[] filled(float v) {
        float[] a = new float[channels];
        Arrays.fill(a, v);
        return a;
    }

    private SafeTensors file() {
        if (shared.file == null) {
            throw new IllegalStateException("weights: no file to read layers from; call weights(file, names) first");
        }
        return shared.file;
    }

    /** {@code base} followed by the next free number for it: {@code conv1}, {@code conv2}, ... */
    private String generated(String base) {
        while (true) {
            int n = shared.counters.merge(base, 1, Integer::sum);
            String name = base + n;
            if (shared.used.add(name)) {
                return name;
            }
        }
    }

    /** {@code name} itself when no tensor has it yet, else {@code name_2}, {@code name_3}, ... */
    private String fresh(String name) {
        if (shared.used.add(name)) {
            return name;
        }
        for (int i = 2; ; i++) {
            if (shared.used.add(name + "_" + i)) {
                return name + "_" + i;
            }
        }
    }

    private void checkUsable() {
        if (!open) {
            throw new IllegalStateException("NetBuilder: a block's builder is used after its block returned");
        }
        if (busy) {
            throw new IllegalStateException("NetBuilder: the outer builder is used inside a block; use the block's");
        }
    }
}
