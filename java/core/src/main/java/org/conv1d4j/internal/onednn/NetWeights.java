package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.engine;
import org.conv1d4j.internal.lowering.Mapping;
import org.conv1d4j.internal.net.Layer;
import org.conv1d4j.internal.quant.QuantizedWeights;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.spec.Conv1dSpec;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a network's convs in native memory, one {@link KernelWeights} per conv layer (told apart by the graph
 * nodes its weights come from, {@link Layer.Conv#weightsFrom()}, so that the fusions of a graph with shape arithmetic
 * share them), made when a plan first needs it and shared by the plans of every (N, W): each layout oneDNN chooses is
 * reordered once. In int8 they are the quantized weights, as the int8 oracle quantizes them.
 */
final class NetWeights {
    private final engine cpu;
    private final Mapping mapping;
    private final Map<List<NetNode>, KernelWeights> byLayer = new HashMap<>();
    /** int8: the quantized weights of the convs that run in int8 (the others are in {@link #byLayer}). */
    private final Map<List<NetNode>, KernelWeights> quantizedByLayer = new HashMap<>();
    /** int8: the ISA that decides the weights' levels; else null (float weights). */
    private final String int8Isa;

    /**
     * @param int8Isa for int8 weights, oneDNN's effective ISA ({@link QuantizedWeights}); null for float weights
     */
    NetWeights(engine cpu, Mapping mapping, String int8Isa) {
        this.cpu = cpu;
        this.mapping = mapping;
        this.int8Isa = int8Isa;
    }

    /**
     * @param layer a conv layer
     * @param spec its spec at some width (the weights' shape does not depend on it)
     * @param quantized whether the conv runs in int8 (its weights quantized) or in float
     * @return its weights
     */
    synchronized KernelWeights of(Layer.Conv layer, Conv1dSpec spec, boolean quantized) {
        if (quantized && int8Isa == null) {
            throw new IllegalStateException("int8 weights asked of a float network");
        }
        Map<List<NetNode>, KernelWeights> cache = quantized ? quantizedByLayer : byLayer;
        return cache.computeIfAbsent(layer.weightsFrom(),
                l -> new KernelWeights(spec, mapping, cpu, layer.conv().weights(), layer.conv().bias(),
                        quantized ? QuantizedWeights.of(layer.conv().spec(), layer.conv().weights(), int8Isa) : null));
    }

    synchronized void close() {
        byLayer.values().forEach(KernelWeights::close);
        byLayer.clear();
        quantizedByLayer.values().forEach(KernelWeights::close);
        quantizedByLayer.clear();
    }
}
