package org.conv1d4j.internal.net;

import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.reference.ReferenceKernel;
import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.net.SliceNode;
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
 * element in double; every node's output is rounded to float32, as a float32 framework stores it. Holds nothing
 * native; safe to call from many threads (each call has its own tensors).
 */
public final class ReferenceNet implements AutoCloseable {
    private final NetGraph graph;
    /** The convs whose spec does not depend on the width, created once. */
    private final IdentityHashMap<ConvNode, Kernel> fixedConvs = new IdentityHashMap<>();
    /** For each tensor, the index of the last node that reads it, so that it is dropped after that. */
    private final Map<String, Integer> lastUse = new HashMap<>();

    /**
     * Prepares a network.
     *
     * @param graph the validated network
     */
    public ReferenceNet(NetGraph graph) {
        this.graph = graph;
        List<NetNode> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NetNode n = nodes.get(i);
            for (String in : n.inputs()) {
                lastUse.put(in, i);
            }
            if (n instanceof ConvNode c && c.autoPad() == ConvNode.AutoPad.NOTSET && c.outputShape() == 0) {
                fixedConvs.put(c, ReferenceKernel.create(c.spec(), c.weights(), c.bias()));
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

    private Map<String, Tensor> run(float[] input, int batch, int width, boolean keep) {
        Map<String, Tensor> values = new HashMap<>();
        values.put(graph.inputName(), new Tensor(input, batch, graph.inputChannels(), width));
        // a graph with shape arithmetic runs its nodes with the values for this (N, W): the same nodes, in order
        List<NetNode> nodes = graph.symbolic() ? graph.resolve(batch, width).nodes() : graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NetNode node = nodes.get(i);
            List<Tensor> in = new ArrayList<>(node.inputs().size());
            for (String name : node.inputs()) {
                in.add(values.get(name));
            }
            values.put(node.output(), run(node, in));
            for (String name : node.inputs()) {
                if (!keep && lastUse.get(name) == i && !name.equals(graph.outputName())) {
                    values.remove(name);
                }
            }
        }
        return values;
    }

    private Tensor run(NetNode node, List<Tensor> in) {
        Tensor x = in.get(0);
        if (node instanceof ConvNode c) {
            return conv(c, x);
        } else if (node instanceof BatchNormNode b) {
            return ReferenceOps.batchNorm(b, x);
        } else if (node instanceof PointwiseNode p) {
            return ReferenceOps.pointwise(p, x);
        } else if (node instanceof PReluNode p) {
            return ReferenceOps.prelu(p, x);
        } else if (node instanceof AddNode) {
            return ReferenceOps.add(x, in.get(1));
        } else if (node instanceof PadNode p) {
            return ReferenceOps.pad(p, x);
        } else if (node instanceof SliceNode s) {
            return ReferenceOps.slice(s, x);
        } else if (node instanceof ConcatNode) {
            return ReferenceOps.concat(in);
        } else if (node instanceof PoolNode p) {
            return ReferenceOps.pool(p, x);
        } else if (node instanceof GlobalPoolNode g) {
            return ReferenceOps.globalPool(g, x);
        }
        throw new IllegalStateException("no reference for " + node.opType());
    }

    private Tensor conv(ConvNode node, Tensor x) {
        Kernel fixed = fixedConvs.get(node);
        Conv1dSpec spec = fixed != null ? node.spec() : node.specFor(x.width());
        Kernel kernel = fixed != null ? fixed : ReferenceKernel.create(spec, node.weights(), node.bias());
        // the graph checked the channels and widths when it was planned for this (N, W)
        Geometry g = spec.geometry(x.width());
        float[] y = new float[x.batch() * spec.outChannels() * g.outWidth()];
        kernel.forward(x.data(), y, x.batch(), g);
        return new Tensor(y, x.batch(), spec.outChannels(), g.outWidth());
    }

    /** Closes the reference convs (which hold nothing native). */
    @Override
    public void close() {
        fixedConvs.values().forEach(Kernel::close);
    }
}
