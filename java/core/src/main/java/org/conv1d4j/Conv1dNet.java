package org.conv1d4j;

import org.conv1d4j.internal.lifecycle.CallGuard;
import org.conv1d4j.internal.net.ReferenceNet;
import org.conv1d4j.internal.net.Int8ReferenceNet;
import org.conv1d4j.internal.net.Int8Setup;
import org.conv1d4j.internal.onednn.NetEngine;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.NetPlanReport;
import org.conv1d4j.net.spi.NetReader;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A Conv1D network: an ONNX model or a {@link NetGraph}, run on 3-D tensors {@code (N, C, W)} in {@link Layout#NCW}
 * (ONNX's layout) or, with {@link NetOptions#withLayout(Layout)}, {@link Layout#NWC}.
 *
 * <p>The default engine, {@link Engine#ONEDNN_2D}, runs the network as one chain of oneDNN primitives on height-1 2D
 * descriptors: a {@code Pad} of zeros folded into the next conv's padding, {@code BatchNormalization} folded into
 * the conv before it, activations, {@code PRelu} and residual {@code Add}s fused into the conv as post-ops, and the
 * tensors between primitives in the blocked layouts oneDNN prefers (reorders only where the caller's data enters
 * and leaves, or where a primitive needs another layout). Each (N, W) is planned once and cached; intermediate
 * tensors that never live at the same time share memory. {@link #plan(int, int)} shows what runs.
 * {@link Engine#ONEDNN_1D} builds the same chain on oneDNN's 1D descriptors; {@link Engine#REFERENCE} runs the
 * network node by node in plain Java, double accumulation, unfused (the oracle the chain is checked against).
 *
 * <p>Thread-safe: calls may run concurrently (each on its own buffers); a steady-state call on the oneDNN engines
 * allocates nothing on the Java heap and creates no native object. Use after {@link #close()} throws
 * {@link IllegalStateException}; a network that is never closed is freed by a {@link Cleaner} once unreachable.
 *
 * <p>Loading an ONNX model needs the artifact {@code org.conv1d4j:conv1d4j-onnx} on the class or module path; it is
 * found with {@link ServiceLoader}.
 */
public final class Conv1dNet implements AutoCloseable {
    /** The largest model file read, in bytes (protobuf's own limit is 2 GiB). */
    public static final long MAX_MODEL_BYTES = 1L << 30;
    private static final Cleaner CLEANER = Cleaner.create();
    private static final String READER_ARTIFACT = "org.conv1d4j:conv1d4j-onnx";
    private static final int SHAPE_SLOTS = 4096;

    private final NetGraph graph;
    private final NetOptions options;
    /** The oracle, or {@code null} on a oneDNN engine or in int8. */
    private final ReferenceNet reference;
    /** The int8 oracle, on the reference engine in int8; else {@code null}. */
    private final Int8ReferenceNet int8Reference;
    /** int8: every tensor's quantization and the convs that stay float32; else none. */
    private final Int8Setup int8Setup;
    /** The oneDNN chain, or {@code null} on the reference engine. */
    private final NetEngine onednn;
    private final CallGuard guard = new CallGuard("Conv1dNet: used after close()");
    /** Frees the native plans of a network its caller forgot to close, once it is unreachable. */
    private final Cleaner.Cleanable cleanable;
    /** Output shapes worked out before, direct-mapped by (batch, width), so that a stream of widths finds them. */
    private final KnownShape[] shapes = new KnownShape[SHAPE_SLOTS];

    private Conv1dNet(NetGraph graph, NetOptions options) {
        this.graph = graph;
        this.options = options;
        boolean ref = options.engine() == Engine.REFERENCE;
        boolean int8 = options.precision() == Precision.INT8;
        this.int8Setup = int8 ? options.calibration().setup(graph) : Int8Setup.NONE;
        Map<String, Quantization> quantization = int8Setup.quantization();
        if (int8) { // a conv reads its input, or the input of the zero Pad folded into it
            for (NetNode n : graph.nodes()) {
                boolean quantized = n instanceof PadNode
                        || (n instanceof ConvNode && !int8Setup.floatConvs().contains(n.name()));
                if (quantized && !quantization.containsKey(n.inputs().get(0))) {
                    throw new IllegalArgumentException("calibration: no quantization for tensor " + n.inputs().get(0)
                            + ", the input of " + n.opType() + " " + n.name());
                }
            }
        }
        this.reference = ref && !int8 ? ReferenceNet.create(graph) : null;
        this.int8Reference = ref && int8
                ? new Int8ReferenceNet(graph, int8Setup, DnnlRuntime.get().effectiveIsa()) : null;
        this.onednn = ref ? null
                : NetEngine.create(graph, options.engine(), options.layout(), options.threadsPerCall(),
                        options.precision(), int8Setup, options.widthBuckets());
        // what the cleaner runs must not reach this object, or it would never become unreachable
        Runnable release = !ref ? onednn::close : int8 ? () -> { } : reference::close;
        this.cleanable = CLEANER.register(this, release);
    }

    /**
     * Runs a network built in Java.
     *
     * @param graph the network
     * @param options engine, layout and threads
     * @return the network, ready to run
     * @throws IllegalArgumentException naming a null argument
     */
    public static Conv1dNet create(NetGraph graph, NetOptions options) {
        if (graph == null) {
            throw new IllegalArgumentException("graph: must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: must not be null");
        }
        return new Conv1dNet(graph, options);
    }

    /**
     * Loads a model file with the default options ({@link NetOptions#defaults()}).
     *
     * @param model the file, at most {@link #MAX_MODEL_BYTES}
     * @return the network
     * @throws IOException when the file cannot be read
     * @throws InvalidInputException when the model is malformed or uses what is not supported, naming the node,
     *     its op type and why
     * @throws IllegalStateException when no model reader ({@code conv1d4j-onnx}) is on the path
     */
    public static Conv1dNet load(Path model) throws IOException {
        return load(model, NetOptions.defaults());
    }

    /**
     * Loads a model file.
     *
     * @param model the file, at most {@link #MAX_MODEL_BYTES}
     * @param options engine, layout and threads
     * @return the network
     * @throws IOException when the file cannot be read
     * @throws InvalidInputException as {@link #load(byte[], NetOptions)}
     */
    public static Conv1dNet load(Path model, NetOptions options) throws IOException {
        if (model == null) {
            throw new IllegalArgumentException("model: must not be null");
        }
        long size = Files.size(model);
        if (size > MAX_MODEL_BYTES) {
            throw new InvalidInputException("model: " + model + " is " + size + " bytes, more than the "
                    + MAX_MODEL_BYTES + " read");
        }
        return load(Files.readAllBytes(model), options);
    }

    /**
     * Loads a model from a stream, reading it to its end (not closing it).
     *
     * @param model the stream, at most {@link #MAX_MODEL_BYTES}
     * @return the network with the default options
     * @throws IOException when the stream cannot be read
     * @throws InvalidInputException as {@link #load(byte[], NetOptions)}
     */
    public static Conv1dNet load(InputStream model) throws IOException {
        return load(model, NetOptions.defaults());
    }

    /**
     * Loads a model from a stream, reading it to its end (not closing it).
     *
     * @param model the stream, at most {@link #MAX_MODEL_BYTES}
     * @param options engine, layout and threads
     * @return the network
     * @throws IOException when the stream cannot be read
     * @throws InvalidInputException as {@link #load(byte[], NetOptions)}
     */
    public static Conv1dNet load(InputStream model, NetOptions options) throws IOException {
        if (model == null) {
            throw new IllegalArgumentException("model: must not be null");
        }
        byte[] bytes = model.readNBytes((int) MAX_MODEL_BYTES + 1);
        if (bytes.length > MAX_MODEL_BYTES) {
            throw new InvalidInputException("model: the stream holds more than the " + MAX_MODEL_BYTES + " bytes read");
        }
        return load(bytes, options);
    }

    /**
     * Loads a model from its bytes with the default options.
     *
     * @param model the model file's bytes
     * @return the network
     * @throws InvalidInputException as {@link #load(byte[], NetOptions)}
     */
    public static Conv1dNet load(byte[] model) {
        return load(model, NetOptions.defaults());
    }

    /**
     * Loads a model from its bytes.
     *
     * @param model the model file's bytes (not modified)
     * @param options engine, layout and threads
     * @return the network
     * @throws InvalidInputException when the model is malformed or uses what is not supported, naming the node,
     *     its op type and why
     * @throws IllegalStateException when no model reader ({@code conv1d4j-onnx}) is on the path
     */
    public static Conv1dNet load(byte[] model, NetOptions options) {
        if (model == null) {
            throw new IllegalArgumentException("model: must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: must not be null");
        }
        return create(reader().read(model), options);
    }

    private static NetReader reader() {
        try {
            Iterator<NetReader> it = ServiceLoader.load(NetReader.class, Conv1dNet.class.getClassLoader()).iterator();
            if (it.hasNext()) {
                return it.next();
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("Conv1dNet.load: the model reader " + READER_ARTIFACT
                    + " is on the path but cannot be loaded: " + e.getMessage(), e);
        }
        throw new IllegalStateException("Conv1dNet.load: no model reader on the class or module path; add the "
                + "artifact " + READER_ARTIFACT + " (same version as conv1d4j) to read ONNX models");
    }

    /** @return the network */
    public NetGraph graph() {
        return graph;
    }

    /** @return engine and layout */
    public NetOptions options() {
        return options;
    }

    /**
     * @return int8: every tensor's quantization by name, as the calibration chose it (unmodifiable); otherwise empty
     */
    public Map<String, Quantization> quantization() {
        return int8Setup.quantization();
    }

    /**
     * @return int8: the convs (node names) that run in float32 because calibration measured int8 slower or less
     *     accurate there ({@link NetCalibration#withLayerChoice(double)}); otherwise empty
     */
    public Set<String> floatConvs() {
        return int8Setup.floatConvs();
    }

    /** @return the int8 setup, for the cross-check */
    Int8Setup int8Setup() {
        return int8Setup;
    }

    /**
     * The output's shape for an input of {@code batch x C x width}, in this network's layout.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return {@code {N, C_out, OW}} (NCW) or {@code {N, OW, C_out}} (NWC)
     * @throws IllegalArgumentException naming {@code batch} or {@code width} when the network cannot run on them
     */
    public int[] outputShape(int batch, int width) {
        int[] s = graph.outputShape(batch, width);
        return options.layout() == Layout.NCW ? s : new int[] {s[0], s[2], s[1]};
    }

    /**
     * Runs the network on an array.
     *
     * @param input {@code batch * C * width} floats in this network's layout
     * @param batch {@code N}
     * @param width {@code W}
     * @return the output, shaped as {@link #outputShape(int, int)} says
     * @throws IllegalArgumentException naming the argument that does not fit
     * @throws IllegalStateException after {@link #close()}
     */
    public float[] forward(float[] input, int batch, int width) {
        int[] shape = shape(batch, width);
        float[] out = new float[shape[0] * shape[1] * shape[2]];
        forward(input, out, batch, width);
        return out;
    }

    /**
     * Runs the network into the caller's array.
     *
     * @param input {@code batch * C * width} floats in this network's layout
     * @param output exactly as many floats as {@link #outputShape(int, int)} gives
     * @param batch {@code N}
     * @param width {@code W}
     * @throws IllegalArgumentException naming the argument that does not fit
     * @throws IllegalStateException after {@link #close()}
     */
    public void forward(float[] input, float[] output, int batch, int width) {
        int[] shape = shape(batch, width);
        length("input", input, (long) batch * graph.inputChannels() * width);
        length("output", output, (long) shape[0] * shape[1] * shape[2]);
        if (input == output) {
            throw new IllegalArgumentException("output: is the input array; use separate arrays");
        }
        guard.enter();
        try {
            if (onednn != null) {
                onednn.forward(input, output, batch, width);
            } else {
                runReference(input, output, batch, width, shape);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * Runs the network on direct buffers with no copy (on the oneDNN engines). Reads {@code batch * C * width} floats
     * from {@code input.position()} and writes the output's floats from {@code output.position()}; the positions are
     * not changed. The buffers must be direct, in native byte order, and must not overlap
     * ({@link DirectBuffers#allocate(int)} makes suitable ones).
     *
     * @param input the input, in this network's layout
     * @param output the output, shaped as {@link #outputShape(int, int)} says
     * @param batch {@code N}
     * @param width {@code W}
     * @throws IllegalArgumentException naming the argument that does not fit
     * @throws IllegalStateException after {@link #close()}
     */
    public void forward(FloatBuffer input, FloatBuffer output, int batch, int width) {
        int[] shape = shape(batch, width);
        int in = Checks.elements("input", batch, graph.inputChannels(), width);
        int out = Checks.elements("output", shape[0], shape[1], shape[2]);
        Checks.buffer("input", input, in, false);
        Checks.buffer("output", output, out, true);
        guard.enter();
        try {
            if (onednn != null) {
                onednn.forward(input, output, batch, width, in, out);
            } else {
                float[] x = new float[in];
                input.get(input.position(), x);
                float[] y = new float[out];
                runReference(x, y, batch, width, shape);
                output.put(output.position(), y);
            }
        } finally {
            guard.exit();
        }
    }

    /**
     * The NCW output shape for (batch, width), remembered in a table of {@value #SHAPE_SLOTS} slots: working it out
     * walks the graph and allocates, which a steady-state call must not, also on a stream of widths.
     */
    private int[] shape(int batch, int width) {
        long key = (long) batch << 32 | width;
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 52) & (SHAPE_SLOTS - 1);
        synchronized (shapes) {
            KnownShape k = shapes[slot];
            if (k != null && k.batch() == batch && k.width() == width) {
                return k.shape();
            }
        }
        int[] s = graph.outputShape(batch, width);
        synchronized (shapes) {
            shapes[slot] = new KnownShape(batch, width, s);
        }
        return s;
    }

    /** An output shape worked out before; the array is never handed out of this class. */
    @SuppressWarnings("ArrayRecordComponent") // compared by batch and width only
    private record KnownShape(int batch, int width, int[] shape) {
    }

    private void runReference(float[] input, float[] output, int batch, int width, int[] shape) {
        boolean nwc = options.layout() == Layout.NWC;
        float[] x = nwc ? transpose(input, batch, width, graph.inputChannels()) : input;
        float[] y = reference != null ? reference.forward(x, batch, width) : int8Reference.forward(x, batch, width);
        if (nwc) {
            y = transpose(y, batch, shape[1], shape[2]);
        }
        System.arraycopy(y, 0, output, 0, y.length);
    }

    /**
     * What the oneDNN engine runs for an input of (batch, width): each primitive, the graph's nodes it computes, its
     * post-ops, the layout it writes and the kernel oneDNN chose. The plan is built (and cached) if it does not exist.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return the plan
     * @throws IllegalArgumentException naming {@code batch} or {@code width} when the network cannot run on them
     * @throws UnsupportedOperationException on the reference engine, which plans nothing
     * @throws IllegalStateException after {@link #close()}
     */
    public NetPlanReport plan(int batch, int width) {
        return report(null, batch, width, 0);
    }

    /**
     * {@link #plan(int, int)} with each primitive's time: the network runs once on {@code input}, then each primitive
     * {@code repeats} times on its own; the fastest time counts.
     *
     * @param input {@code batch * C * width} floats in this network's layout
     * @param batch {@code N}
     * @param width {@code W}
     * @param repeats at least 1
     * @return the plan with times
     * @throws IllegalArgumentException naming the argument that does not fit
     * @throws UnsupportedOperationException on the reference engine
     * @throws IllegalStateException after {@link #close()}
     */
    public NetPlanReport profile(float[] input, int batch, int width, int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats: must be >= 1, got " + repeats);
        }
        length("input", input, (long) batch * graph.inputChannels() * width);
        return report(input, batch, width, repeats);
    }

    /**
     * The input width of the plan a call of {@code (N, W)} runs on: {@code W}, or, with
     * {@link NetOptions#widthBuckets()}, its bucket where the network computes the same output columns on the wider
     * input (causal networks and networks of {@code valid} convs; the README's note on variable widths). Plans
     * nothing.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return the planned width, at least {@code W}; {@code W} on the reference engine
     * @throws IllegalArgumentException naming {@code batch} or {@code width} when the network cannot run on them
     * @throws IllegalStateException after {@link #close()}
     */
    public int plannedWidth(int batch, int width) {
        graph.outputShape(batch, width);
        if (onednn == null) {
            return width;
        }
        guard.enter();
        try {
            return onednn.plannedWidth(batch, width);
        } finally {
            guard.exit();
        }
    }

    private NetPlanReport report(float[] input, int batch, int width, int repeats) {
        graph.outputShape(batch, width);
        if (onednn == null) {
            throw new UnsupportedOperationException("plan: the reference engine runs node by node and plans nothing; "
                    + "use a oneDNN engine");
        }
        guard.enter();
        try {
            return onednn.report(batch, width, input, repeats);
        } finally {
            guard.exit();
        }
    }

    private static void length(String what, float[] a, long expected) {
        if (a == null) {
            throw new IllegalArgumentException(what + ": must not be null");
        }
        if (a.length != expected) {
            throw new IllegalArgumentException(what + ": expected " + expected + " floats, got " + a.length);
        }
    }

    /** {@code (N, A, B)} to {@code (N, B, A)}. */
    static float[] transpose(float[] src, int batch, int a, int b) {
        float[] dst = new float[src.length];
        for (int n = 0; n < batch; n++) {
            int base = n * a * b;
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    dst[base + j * a + i] = src[base + i * b + j];
                }
            }
        }
        return dst;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /** Frees what the network holds after the calls in progress have returned. Closing twice does nothing. */
    @Override
    public void close() {
        guard.close(cleanable::clean);
    }

    @Override
    public String toString() {
        return "Conv1dNet(" + graph.inputName() + ": C=" + graph.inputChannels() + " -> " + graph.outputName()
                + ": C=" + graph.outputChannels() + ", " + graph.nodes().size() + " nodes, " + options + ")";
    }
}
