package org.conv1d4j;

import org.conv1d4j.internal.lifecycle.CallGuard;
import org.conv1d4j.internal.net.ReferenceNet;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.spi.NetReader;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * A Conv1D network (preview): an ONNX model or a {@link NetGraph}, run on 3-D tensors {@code (N, C, W)} in
 * {@link Layout#NCW} (ONNX's layout) or, with {@link NetOptions#withLayout(Layout)}, {@link Layout#NWC}.
 *
 * <p>For now the only engine is {@link Engine#REFERENCE}: node by node in plain Java, double accumulation, unfused
 * (the oracle the oneDNN chain will be checked against); asking for a oneDNN engine throws
 * {@link UnsupportedOperationException}. Thread-safe: calls may run concurrently. Use after {@link #close()} throws
 * {@link IllegalStateException}.
 *
 * <p>Loading an ONNX model needs the artifact {@code org.conv1d4j:conv1d4j-onnx} on the class or module path; it is
 * found with {@link ServiceLoader}.
 */
public final class Conv1dNet implements AutoCloseable {
    /** The largest model file read, in bytes (protobuf's own limit is 2 GiB). */
    public static final long MAX_MODEL_BYTES = 1L << 30;
    private static final String READER_ARTIFACT = "org.conv1d4j:conv1d4j-onnx";

    private final NetGraph graph;
    private final NetOptions options;
    private final ReferenceNet engine;
    private final CallGuard guard = new CallGuard("Conv1dNet: used after close()");

    private Conv1dNet(NetGraph graph, NetOptions options) {
        this.graph = graph;
        this.options = options;
        this.engine = new ReferenceNet(graph);
    }

    /**
     * Runs a network built in Java.
     *
     * @param graph the network
     * @param options engine and layout
     * @return the network, ready to run
     * @throws IllegalArgumentException naming a null argument
     * @throws UnsupportedOperationException for a oneDNN engine (not yet implemented for networks)
     */
    public static Conv1dNet create(NetGraph graph, NetOptions options) {
        if (graph == null) {
            throw new IllegalArgumentException("graph: must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: must not be null");
        }
        if (options.engine() != Engine.REFERENCE) {
            throw new UnsupportedOperationException("engine: networks on " + options.engine().cliName()
                    + " are not yet implemented; use Engine.REFERENCE");
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
     * @param options engine and layout
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
     * @param options engine and layout
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
     * @param options engine and layout
     * @return the network
     * @throws InvalidInputException when the model is malformed or uses what is not supported, naming the node,
     *     its op type and why
     * @throws IllegalStateException when no model reader ({@code conv1d4j-onnx}) is on the path
     * @throws UnsupportedOperationException for a oneDNN engine (not yet implemented for networks)
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
        int[] shape = graph.outputShape(batch, width);
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
        guard.enter();
        try {
            int[] shape = graph.outputShape(batch, width);
            length("input", input, (long) batch * graph.inputChannels() * width);
            length("output", output, (long) shape[0] * shape[1] * shape[2]);
            boolean nwc = options.layout() == Layout.NWC;
            float[] x = nwc ? transpose(input, batch, width, graph.inputChannels()) : input;
            float[] y = engine.forward(x, batch, width);
            if (nwc) {
                y = transpose(y, batch, shape[1], shape[2]);
            }
            System.arraycopy(y, 0, output, 0, y.length);
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
    private static float[] transpose(float[] src, int batch, int a, int b) {
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
        guard.close(engine::close);
    }

    @Override
    public String toString() {
        return "Conv1dNet(" + graph.inputName() + ": C=" + graph.inputChannels() + " -> " + graph.outputName()
                + ": C=" + graph.outputChannels() + ", " + graph.nodes().size() + " nodes, " + options + ")";
    }
}
