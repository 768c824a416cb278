package org.conv1d4j.internal.net;

import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.kernel.LibraryOnly;
import org.conv1d4j.internal.reference.ReferenceKernel;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The networks' oracle: runs a {@link NetGraph} node by node in plain Java, unfused, BatchNorm applied as
 * BatchNorm. Convs run on the reference engine's kernel (double accumulation); every other node computes each
 * element in double; every node's output is rounded to float32, as a float32 framework stores it. As the oracle it
 * holds nothing native; safe to call from many threads (each call has its own tensors). Calibration runs the same
 * walk with oneDNN's float32 conv kernels ({@link Calibrator}), which must be closed.
 */
public final class ReferenceNet implements AutoCloseable {
    private final NetGraph graph;
    /** The convs whose spec does not depend on the width, created once. */
    private final IdentityHashMap<ConvNode, Kernel> fixedConvs = new IdentityHashMap<>();
    /** For each tensor, the index of the last node that reads it, so that it is dropped after that. */
    private final Map<String, Integer> lastUse = new HashMap<>();
    /** What runs a conv: the reference kernel, or (for calibration only) another engine's. */
    private final ConvKernels convKernels;

    /** Makes the kernel of a conv. */
    @FunctionalInterface
    interface ConvKernels {
        /**
         * @param node the conv
         * @param spec the conv at its width
         * @return the kernel (closed by the caller)
         */
        Kernel create(ConvNode node, Conv1dSpec spec);
    }

    /**
     * Prepares the oracle of a network for {@code Conv1dNet}, which has checked the graph; no one else may call it
     * (calibration runs the same walk on oneDNN's kernels, which hold native memory).
     *
     * @param graph the validated network
     * @return the oracle
     * @throws IllegalCallerException when called from outside the library
     */
    public static ReferenceNet create(NetGraph graph) {
        LibraryOnly.requireLibraryCaller();
        return new ReferenceNet(graph);
    }

    /**
     * Prepares a network.
     *
     * @param graph the validated network
     */
    ReferenceNet(NetGraph graph) {
        this(graph, (node, spec) -> ReferenceKernel.create(spec, node.weights(), node.bias()));
    }

    /**
     * Prepares a network whose convs run on {@code convKernels} (the calibration's float32 pass runs them on oneDNN:
     * the oracle's double loops took minutes on Conv-TasNet's samples).
     *
     * @param graph the validated network
     * @param convKernels what runs a conv
     */
    ReferenceNet(NetGraph graph, ConvKernels convKernels) {
        this.graph = graph;
        this.convKernels = convKernels;
        List<NetNode> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NetNode n = nodes.get(i);
            for (String in : n.inputs()) {
                lastUse.put(in, i);
            }
            if (n instanceof ConvNode c && c.autoPad() == ConvNode.AutoPad.NOTSET && c.outputShape() == 0) {
                fixedConvs.put(c, convKernels.create(c, c.spec()));
            }
        }
    }

    /**
     * Runs the network.
     *
     * @param input {@code (N, C, W)} in NCW order, exactly {@code batch * C * width} floats (checked by the caller)
     * @param batch {@code N}
     * @param width {@code W}, one the graph accepts (checked by the caller with {@link NetGraph#widths(int, int)})
     * @return the output in NCW order
     */
    public float[] forward(float[] input, int batch, int width) {
        Map<String, Tensor> values = run(input, batch, width, false);
        float[] out = values.get(graph.outputName()).data();
        return out == input ? out.clone() : out;
    }

    /**
     * Runs the network and keeps every tensor, for the error bound ({@link ErrorPropagation}).
     *
     * @param input as {@link #forward(float[], int, int)}
     * @param batch {@code N}
     * @param width {@code W}
     * @return every tensor by name, in NCW order
     */
    Map<String, Tensor> trace(float[] input, int batch, int width) {
        return run(input, batch, width, true);
    }

    /**
     * Runs the network and shows every tensor to {@code seen} as soon as it exists (the input first), dropping each
     * after its last reader, so that a large network on many samples holds no more than a forward run does.
     *
     * @param input as {@link #forward(float[], int, int)}
     * @param batch {@code N}
     * @param width {@code W}
     * @param seen called with each tensor's name and values (NCW)
     */
    void visit(float[] input, int batch, int width, java.util.function.BiConsumer<String, float[]> seen) {
        run(input, batch, width, false, seen);
    }

    private Map<String, Tensor> run(float[] input, int batch, int width, boolean keep) {
        return run(input, batch, width, keep, (name, values) -> { });
    }

    private Map<String, Tensor> run(float[] input, int batch, int width, boolean keep,
                                    java.util.function.BiConsumer<String, float[]> seen) {
        Map<String, Tensor> values = new HashMap<>();
        values.put(graph.inputName(), new Tensor(input, batch, graph.inputChannels(), width));
        seen.accept(graph.inputName(), input);
        // a graph with shape arithmetic runs its nodes with the values for this (N, W): the same nodes, in order
        List<NetNode> nodes = graph.symbolic() ? graph.resolve(batch, width).nodes() : graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NetNode node = nodes.get(i);
            List<Tensor> in = new ArrayList<>(node.inputs().size());
            for (String name : node.inputs()) {
                in.add(values.get(name));
            }
            Tensor out = run(node, in);
            values.put(node.output(), out);
            seen.accept(node.output(), out.data());
            for (String name : node.inputs()) {
                if (!keep && lastUse.get(name) == i && !name.equals(graph.outputName())) {
                    values.remove(name);
                }
            }
        }
        return values;
    }

    private Tensor run(NetNode node, List<Tensor> in) {
        return node instanceof ConvNode c ? conv(c, in.get(0)) : ReferenceOps.apply(node, in);
    }

    private Tensor conv(ConvNode node, Tensor x) {
        Kernel fixed = fixedConvs.get(node);
        Conv1dSpec spec = fixed != null ? node.spec() : node.specFor(x.width());
        Kernel kernel = fixed != null ? fixed : convKernels.create(node, spec);
        try {
            // the graph checked the channels and widths when it was planned for this (N, W)
            Geometry g = spec.geometry(x.width());
            float[] y = new float[x.batch() * spec.outChannels() * g.outWidth()];
            kernel.forward(x.data(), y, x.batch(), g);
            return new Tensor(y, x.batch(), spec.outChannels(), g.outWidth());
        } finally {
            if (fixed == null) {
                kernel.close();
            }
        }
    }

    /** Closes the convs' kernels (the reference's hold nothing native). */
    @Override
    public void close() {
        fixedConvs.values().forEach(Kernel::close);
    }
}
