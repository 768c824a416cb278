package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.spec.Quantization;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * The oneDNN attributes and run-time arguments of int8: a convolution takes one scale and one zero point for its u8
 * source and one scale per output channel for its s8 weights ({@code dst = acc * s_src * s_wei[oc] + bias}, then the
 * post-ops); a quantizing reorder takes one scale and one zero point for its u8 destination.
 */
final class Int8Attributes {
    private Int8Attributes() {
    }

    /**
     * @param grouped whether the weights have a leading groups dimension (then the output channel is dims 0 and 1)
     */
    static void convolution(primitive_attr attr, boolean grouped) {
        attr.set_scales_mask(DNNL_ARG_SRC, 0);
        attr.set_zero_points_mask(DNNL_ARG_SRC, 0);
        attr.set_scales_mask(DNNL_ARG_WEIGHTS, grouped ? 0b11 : 0b1);
    }

    /**
     * A reorder or a conv that writes u8: one scale and one zero point for its destination (a conv applies them after
     * its post-ops).
     */
    static void quantizedDestination(primitive_attr attr) {
        attr.set_scales_mask(DNNL_ARG_DST, 0);
        attr.set_zero_points_mask(DNNL_ARG_DST, 0);
    }

    /** @return a one-float memory holding {@code q}'s scale */
    static memory scale(engine cpu, Quantization q, NativeOwner owner) {
        memory m = single(cpu, memory.data_type.f32, owner);
        try (FloatPointer p = new FloatPointer(m.get_data_handle())) {
            p.put(q.scale());
        }
        return m;
    }

    /** @return a one-int memory holding {@code q}'s zero point */
    static memory zeroPoint(engine cpu, Quantization q, NativeOwner owner) {
        memory m = single(cpu, memory.data_type.s32, owner);
        try (IntPointer p = new IntPointer(m.get_data_handle())) {
            p.put(q.zeroPoint());
        }
        return m;
    }

    private static memory single(engine cpu, memory.data_type type, NativeOwner owner) {
        memory.desc d = owner.own(new memory.desc(new long[] {1}, type, memory.format_tag.a));
        return owner.own(new memory(d, cpu));
    }
}
