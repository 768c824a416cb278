package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.deconvolution_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc;
import org.conv1d4j.internal.lowering.Lowering;

/**
 * The convolution or deconvolution primitive a {@link Lowering} describes, for inference, with or without bias: the
 * one place both the single op's {@link Plan} and the network's {@link NetPlanner} ask oneDNN for it.
 */
final class ConvPrimitives {
    private ConvPrimitives() {
    }

    /**
     * @param bias the bias descriptor, or {@code null} for none
     * @return the primitive descriptor (the caller owns it)
     */
    static primitive_desc desc(engine cpu, Lowering lw, memory.desc src, memory.desc weights, memory.desc bias,
                               memory.desc dst, primitive_attr attr) {
        var fwd = dnnl.prop_kind.forward_inference;
        long[] s = lw.strides();
        long[] d = lw.dilates();
        long[] l = lw.padLeft();
        long[] r = lw.padRight();
        if (lw.isDeconvolution()) {
            var alg = dnnl.algorithm.deconvolution_direct;
            return bias != null
                    ? new deconvolution_forward.primitive_desc(cpu, fwd, alg, src, weights, bias, dst, s, d, l, r, attr,
                            false)
                    : new deconvolution_forward.primitive_desc(cpu, fwd, alg, src, weights, dst, s, d, l, r, attr,
                            false);
        }
        var alg = dnnl.algorithm.convolution_direct;
        return bias != null
                ? new convolution_forward.primitive_desc(cpu, fwd, alg, src, weights, bias, dst, s, d, l, r, attr, false)
                : new convolution_forward.primitive_desc(cpu, fwd, alg, src, weights, dst, s, d, l, r, attr, false);
    }

    /** @return the primitive of {@code pd}, made by {@link #desc} for the same lowering (the caller owns it) */
    static primitive of(Lowering lw, primitive_desc pd) {
        return lw.isDeconvolution() ? new deconvolution_forward((deconvolution_forward.primitive_desc) pd)
                : new convolution_forward((convolution_forward.primitive_desc) pd);
    }
}
