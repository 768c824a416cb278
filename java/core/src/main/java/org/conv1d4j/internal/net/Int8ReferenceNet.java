package org.conv1d4j.internal.net;

import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.quant.QuantizedWeights;
import org.conv1d4j.internal.reference.ReferenceKernel;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Quantization;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The oracle of an int8 network: the layers the oneDNN chain runs ({@link Fusion}: BatchNorm folded into the conv's
 * weights, which are then quantized, as the chain quantizes them), each conv on the reference engine's int8 arithmetic
 * ({@link ReferenceKernel#createInt8}) with its input tensor's quantization, its post-ops and every other node in
 * plain Java as {@link ReferenceNet} computes them. Holds nothing native.
 */
public final class Int8ReferenceNet {
    private final NetGraph graph;
    /** The fused layers; {@code null} for a graph with shape arithmetic, fused per (N, W). */
    private final List<Layer> layers;
    private final Int8Setup int8;
    private final String isa;
    private final IdentityHashMap<ConvNode, QuantizedWeights> weights = new IdentityHashMap<>();

    /**
     * @param graph the validated network
     * @param int8 every conv input tensor's quantization, and the convs that stay float32
     * @param isa oneDNN's effective ISA, which decides the weights' largest level ({@link QuantizedWeights})
     */
    public Int8ReferenceNet(NetGraph graph, Int8Setup int8, String isa) {
        this.graph = graph;
        this.layers = graph.symbolic() ? null : Fusion.of(graph);
        this.int8 = int8;
        this.isa = isa;
    }

    /**
     * Runs the network.
     *
     * @param input {@code (N, C, W)} in NCW order (checked by the caller)
     * @param batch {@code N}
     * @param width {@code W}, one the graph accepts
     * @return the output in NCW order
     */
    public float[] forward(float[] input, int batch, int width) {
        float[] out = trace(input, batch, width).get(graph.outputName()).data();
        return out == input ? out.clone() : out;
    }

    /**
     * Runs the network and keeps every layer's output.
     *
     * @return the input and every layer's output by tensor name, NCW
     */
    Map<String, Tensor> trace(float[] input, int batch, int width) {
        Map<String, Tensor> values = new HashMap<>();
        values.put(graph.inputName(), new Tensor(input, batch, graph.inputChannels(), width));
        for (Layer layer : layers(batch, width)) {
            if (layer instanceof Layer.Conv c) {
                values.put(c.output(), conv(c, values));
            } else {
                NetNode node = ((Layer.Single) layer).node();
                List<Tensor> in = new ArrayList<>();
                for (String name : node.inputs()) {
                    in.add(values.get(name));
                }
                values.put(node.output(), ReferenceOps.apply(node, in));
            }
        }
        return values;
    }

    private Tensor conv(Layer.Conv layer, Map<String, Tensor> values) {
        ConvNode node = layer.conv();
        Tensor x = values.get(node.input());
        Conv1dSpec spec = node.specFor(x.width());
        Quantization in = int8.of(node.name(), node.input());
        if (in == null && !int8.floatConvs().contains(node.name())) {
            throw new IllegalStateException("no quantization for tensor " + node.input());
        }
        Geometry g = spec.geometry(x.width());
        float[] y = new float[x.batch() * spec.outChannels() * g.outWidth()];
        Kernel k = in == null ? ReferenceKernel.create(spec, node.weights(), node.bias()) // a float32 conv
                : ReferenceKernel.createInt8(spec, quantizedWeights(node), node.bias(), in);
        try {
            k.forward(x.data(), y, x.batch(), g);
        } finally {
            k.close();
        }
        Tensor t = new Tensor(y, x.batch(), spec.outChannels(), g.outWidth());
        for (PostOp op : layer.postOps()) {
            if (op instanceof PostOp.Eltwise e) {
                t = ReferenceOps.pointwise(new PointwiseNode("post-op", "x", "y", e.function(), e.alpha(), e.beta()), t);
            } else if (op instanceof PostOp.Prelu p) {
                t = ReferenceOps.prelu(new PReluNode("post-op", "x", "y", p.slope()), t);
            } else if (op instanceof PostOp.Residual r) {
                t = ReferenceOps.add(t, values.get(r.other()));
            }
        }
        return t;
    }

    private synchronized QuantizedWeights quantizedWeights(ConvNode node) {
        return weights.computeIfAbsent(node, c -> QuantizedWeights.of(c.spec(), c.weights(), isa));
    }

    /** @return the quantizations and the convs that stay float32 */
    public Int8Setup setup() {
        return int8;
    }

    /**
     * @param batch {@code N}
     * @param width {@code W}
     * @return the fused layers for that (N, W), in order (the same for every one unless the graph has shape
     *     arithmetic)
     */
    public List<Layer> layers(int batch, int width) {
        return layers != null ? layers : Fusion.of(graph.resolve(batch, width));
    }
}
