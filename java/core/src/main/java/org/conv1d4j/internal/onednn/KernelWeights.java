package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.conv1d4j.internal.quant.QuantizedWeights;
import org.conv1d4j.internal.lowering.Mapping;
import org.conv1d4j.internal.lowering.WeightView;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.spec.Conv1dSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * An op's weights and bias in native memory: the caller's weights copied once as they are (described by strides
 * over the caller's layout), and reordered into each layout a primitive prefers, once per layout, shared by the
 * plans that prefer it. For int8 the copy holds the {@link QuantizedWeights} levels ({@code s8}) and their
 * per-output-channel scales, which the primitive takes as an argument.
 */
final class KernelWeights {
    private final NativeOwner owner = new NativeOwner();
    private final Conv1dSpec spec;
    private final Mapping mapping;
    private final engine cpu;
    private final memory.desc userDesc;
    private final memory user;
    private final memory bias;
    private final float[] biasValues;
    private final memory.data_type type;
    private final memory scales;
    private final List<memory> prepared = new ArrayList<>();
    private memory kernelAlongHeight;
    private memory windowAsChannels;

    /**
     * @param quantized the int8 levels and scales of {@code weights}, or {@code null} for float weights
     */
    KernelWeights(Conv1dSpec spec, Mapping mapping, engine cpu, float[] weights, float[] bias,
                  QuantizedWeights quantized) {
        this.spec = spec;
        this.mapping = mapping;
        this.cpu = cpu;
        var f32 = memory.data_type.f32;
        type = quantized == null ? f32 : memory.data_type.s8;
        userDesc = owner.own(new memory.desc(mapping.weightDims(spec), type, mapping.weightStrides(spec)));
        user = owner.own(new memory(userDesc, cpu));
        if (quantized == null) {
            write(user, weights);
            scales = null;
        } else {
            try (BytePointer p = new BytePointer(user.get_data_handle())) {
                p.put(quantized.levels(), 0, quantized.levels().length);
            }
            memory.desc sd = owner.own(new memory.desc(new long[] {spec.outChannels()}, f32, memory.format_tag.a));
            scales = owner.own(new memory(sd, cpu));
            write(scales, quantized.scales());
        }
        if (bias != null) {
            memory.desc bd = owner.own(new memory.desc(new long[] {spec.outChannels()}, f32, memory.format_tag.a));
            this.bias = owner.own(new memory(bd, cpu));
            write(this.bias, bias);
        } else {
            this.bias = null;
        }
        this.biasValues = bias == null ? new float[spec.outChannels()] : bias.clone();
    }

    private static void write(memory m, float[] values) {
        try (FloatPointer p = new FloatPointer(m.get_data_handle())) {
            p.put(values, 0, values.length);
        }
    }

    /** @return the int8 weights' per-output-channel scales, or {@code null} for float weights */
    memory scales() {
        return scales;
    }

    /** @return the caller's weights as oneDNN reads them before any reorder */
    memory.desc userDesc() {
        return userDesc;
    }

    /** @return the bias memory, or {@code null} where the spec has none */
    memory bias() {
        return bias;
    }

    /** @return the bias, zeros where the spec has none */
    float[] biasValues() {
        return biasValues;
    }

    /**
     * The weights in the layout {@code wanted}, reordered once and shared by plans that want it.
     *
     * @param wanted the descriptor the primitive chose
     * @param view how {@code wanted}'s dims read the caller's weights
     */
    synchronized memory in(memory.desc wanted, WeightView view) {
        memory source = switch (view) {
            case AS_GIVEN -> user;
            case KERNEL_ALONG_HEIGHT -> kernelAlongHeight();
            case WINDOW_AS_CHANNELS -> windowAsChannels();
        };
        try (memory.desc have = source.get_desc()) {
            if (wanted.equals(have)) {
                return source;
            }
        }
        for (memory m : prepared) {
            try (memory.desc have = m.get_desc()) {
                if (have.equals(wanted)) {
                    return m;
                }
            }
        }
        memory m = owner.own(new memory(wanted, cpu));
        try (reorder r = new reorder(source, m); stream s = new stream(cpu)) {
            r.execute(s, source, m);
            s._wait();
        }
        prepared.add(m);
        return m;
    }

    /** The caller's weights described with the kernel along the height, for folded plans; made on first use. */
    private memory kernelAlongHeight() {
        if (kernelAlongHeight == null) {
            memory.desc d = owner.own(new memory.desc(Mapping.foldedWeightDims(spec), type,
                    Mapping.foldedWeightStrides(spec)));
            kernelAlongHeight = owner.own(new memory(d, cpu, user.get_data_handle()));
        }
        return kernelAlongHeight;
    }

    /**
     * The caller's weights with the kernel merged into the input channels, for single-window plans: reordered
     * once into the dense {@code (O, I/G, [1,] K)} layout and read as {@code (O, I/G * K, [1,] 1)}; made on first use.
     */
    private memory windowAsChannels() {
        if (windowAsChannels == null) {
            long[] dims = mapping.weightDims(spec);
            memory.desc denseDesc = owner.own(new memory.desc(dims, type, Mapping.denseWeightStrides(dims)));
            memory dense = in(denseDesc, WeightView.AS_GIVEN);
            long[] merged = mapping.windowAsChannelsWeightDims(spec);
            memory.desc d = owner.own(new memory.desc(merged, type, Mapping.denseWeightStrides(merged)));
            windowAsChannels = owner.own(new memory(d, cpu, dense.get_data_handle()));
        }
        return windowAsChannels;
    }

    /** Frees the native memory; only once no plan uses it. */
    synchronized void close() {
        owner.close();
        prepared.clear();
    }
}
