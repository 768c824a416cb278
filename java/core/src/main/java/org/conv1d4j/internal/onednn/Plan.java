package org.conv1d4j.internal.onednn;

import org.conv1d4j.nativeconfig.NativeOwner;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.deconvolution_forward;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The oneDNN primitive for one (batch, width) of an op, with the descriptors around it and a pool of
 * {@link ExecutionContext}s, one per concurrent execution. Built as oneDNN's convolution example does: the
 * weights descriptor is {@code any}, oneDNN picks the layout, and the weights are reordered into it once.
 */
final class Plan {
    private final NativeOwner owner = new NativeOwner();
    private final engine engine;
    private final int batch;
    private final Geometry geometry;
    private final primitive_desc pd;
    private final dnnl_primitive primitive;
    private final memory.desc userSrcDesc;
    private final memory.desc userDstDesc;
    private final memory.desc convSrcDesc;
    private final memory.desc convDstDesc;
    private final memory.desc convScratchpad;
    private final dnnl_primitive srcReorder;
    private final dnnl_primitive dstReorder;
    private final memory.desc srcReorderScratchpad;
    private final memory.desc dstReorderScratchpad;
    private final memory weights;
    private final memory bias;
    private final PlanReport report;
    private final int srcElements;
    private final int dstElements;
    private final EdgePadder edgePadder;
    private final BiasTail biasTail;
    private final int paddedElements;

    private final ArrayDeque<ExecutionContext> idle = new ArrayDeque<>();
    private final List<ExecutionContext> all = new ArrayList<>();
    /** Guarded by the owning {@link PlanCache}. */
    int users;
    /** Guarded by the owning {@link PlanCache}. */
    boolean retired;
    /** Guarded by the owning {@link PlanCache}: when this plan was last used. */
    long lastUse;

    Plan(OneDnnKernel kernel, int batch, Geometry g, boolean reorderActivations, int fold) {
        Conv1dSpec spec = kernel.spec();
        Mapping m = kernel.mapping();
        this.engine = kernel.engine();
        this.batch = batch;
        this.geometry = g;
        this.srcElements = batch * spec.inChannels() * g.inWidth();
        this.dstElements = batch * spec.outChannels() * g.outWidth();
        // oneDNN pads with zeros only: other modes pad into a buffer and convolve it with no padding. So does
        // zero padding as wide as the effective kernel (outputs that see only padding), which crashed oneDNN's
        // brgemm kernels (SIGSEGV in perform_outwork, found by the property tests).
        boolean deconv = Mapping.isDeconvolution(spec);
        boolean padsEdges = !deconv && (g.padLeft() > 0 || g.padRight() > 0)
                && (spec.paddingMode() != PaddingMode.ZEROS || g.padLeft() >= g.effectiveKernel()
                || g.padRight() >= g.effectiveKernel());
        this.edgePadder = padsEdges ? new EdgePadder(spec, batch, g) : null;
        Geometry cg = padsEdges ? EdgePadder.paddedGeometry(g) : g;
        this.paddedElements = padsEdges ? batch * spec.inChannels() * cg.inWidth() : 0;
        var f32 = memory.data_type.f32;
        // fold d > 1: the dilated conv runs undilated on the free view (N, C, W/d, d), kernel (K, 1) along H
        long[] srcDims = fold > 1 ? new long[] {batch, spec.inChannels(), cg.inWidth() / fold, fold}
                : m.activationDims(batch, spec.inChannels(), cg.inWidth());
        // A transposed conv whose output_padding makes padding_r negative: oneDNN rejects some negative padding_r
        // and corrupted the heap writing a strided view (property tests), so the primitive writes the first
        // OW + padding_r columns into a dense buffer; BiasTail copies them out and adds the f(bias) columns.
        this.biasTail = cg.padRight() < 0 ? new BiasTail(spec, kernel.biasValues(), batch, g.outWidth(), -cg.padRight()) : null;
        int primitiveOutWidth = g.outWidth() + Math.min(cg.padRight(), 0);
        long[] dstDims = fold > 1 ? new long[] {batch, spec.outChannels(), primitiveOutWidth / fold, fold}
                : m.activationDims(batch, spec.outChannels(), primitiveOutWidth);
        memory.format_tag userTag = m.activationTag(spec.layout());
        userSrcDesc = owner.own(new memory.desc(srcDims, f32, userTag));
        userDstDesc = owner.own(new memory.desc(dstDims, f32, userTag));
        // bf16: the primitive reads bf16 activations and weights (converted by the reorders) and writes f32
        var compute = kernel.precision() == Precision.BF16 ? memory.data_type.bf16 : f32;
        memory.desc srcAsk = reorderActivations ? owner.own(new memory.desc(srcDims, compute, memory.format_tag.any)) : userSrcDesc;
        memory.desc dstAsk = reorderActivations ? owner.own(new memory.desc(dstDims, f32, memory.format_tag.any)) : userDstDesc;
        memory.desc weightsAsk = owner.own(new memory.desc(fold > 1 ? Mapping.foldedWeightDims(spec)
                : m.weightDims(spec), compute, memory.format_tag.any));
        memory.desc biasDesc = spec.hasBias()
                ? owner.own(new memory.desc(new long[] {spec.outChannels()}, f32, memory.format_tag.a)) : null;

        primitive_attr attr = owner.own(new primitive_attr());
        attr.set_scratchpad_mode(dnnl.scratchpad_mode.user);
        post_ops ops = PostOps.forSpec(spec, owner);
        if (ops != null) {
            attr.set_post_ops(ops);
        }
        // A stride beyond the padded width yields one output column whatever its value; oneDNN failed to build
        // such primitives (stride 142540640, found by SpecFuzzTest) and then failed every later build in the
        // process, so it gets the smallest stride with the same output. Likewise a transposed conv of one input
        // column does not depend on its stride, and oneDNN hung on stride 1576402943 (also SpecFuzzTest).
        int stride = deconv ? (cg.inWidth() == 1 ? 1 : spec.stride())
                : Math.min(spec.stride(), cg.inWidth() + cg.padLeft() + cg.padRight());
        long[] strides = m.spatial(1, stride);
        long[] dilates = fold > 1 ? new long[] {0, 0} : m.spatial(0, spec.dilation() - 1);
        long[] padL = fold > 1 ? new long[] {cg.padLeft() / fold, 0} : m.spatial(0, cg.padLeft());
        long[] padR = fold > 1 ? new long[] {cg.padRight() / fold, 0} : m.spatial(0, Math.max(cg.padRight(), 0));
        var fwd = dnnl.prop_kind.forward_inference;
        if (deconv) {
            pd = owner.own(biasDesc != null
                    ? new deconvolution_forward.primitive_desc(engine, fwd, dnnl.algorithm.deconvolution_direct, srcAsk,
                            weightsAsk, biasDesc, dstAsk, strides, dilates, padL, padR, attr, false)
                    : new deconvolution_forward.primitive_desc(engine, fwd, dnnl.algorithm.deconvolution_direct, srcAsk,
                            weightsAsk, dstAsk, strides, dilates, padL, padR, attr, false));
        } else {
            pd = owner.own(biasDesc != null
                    ? new convolution_forward.primitive_desc(engine, fwd, dnnl.algorithm.convolution_direct, srcAsk,
                            weightsAsk, biasDesc, dstAsk, strides, dilates, padL, padR, attr, false)
                    : new convolution_forward.primitive_desc(engine, fwd, dnnl.algorithm.convolution_direct, srcAsk,
                            weightsAsk, dstAsk, strides, dilates, padL, padR, attr, false));
        }
        primitive prim = owner.own(deconv ? new deconvolution_forward((deconvolution_forward.primitive_desc) pd)
                : new convolution_forward((convolution_forward.primitive_desc) pd));
        primitive = prim.get();
        convSrcDesc = owner.own(pd.src_desc());
        convDstDesc = owner.own(pd.dst_desc());
        convScratchpad = nonEmpty(owner.own(pd.scratchpad_desc()));
        memory.desc chosenWeights = owner.own(pd.weights_desc());
        weights = kernel.weightsIn(chosenWeights, fold > 1);
        bias = kernel.biasMemory();

        boolean reorder = reorderActivations && !(convSrcDesc.equals(userSrcDesc) && convDstDesc.equals(userDstDesc));
        if (reorder) {
            reorder.primitive_desc srcPd = owner.own(new reorder.primitive_desc(engine, userSrcDesc, engine, convSrcDesc,
                    userScratchpadAttr(), false));
            reorder.primitive_desc dstPd = owner.own(new reorder.primitive_desc(engine, convDstDesc, engine, userDstDesc,
                    userScratchpadAttr(), false));
            srcReorder = owner.own(new reorder(srcPd)).get();
            dstReorder = owner.own(new reorder(dstPd)).get();
            srcReorderScratchpad = nonEmpty(owner.own(srcPd.scratchpad_desc()));
            dstReorderScratchpad = nonEmpty(owner.own(dstPd.scratchpad_desc()));
        } else {
            srcReorder = null;
            dstReorder = null;
            srcReorderScratchpad = null;
            dstReorderScratchpad = null;
        }
        report = new PlanReport(m.engine(), deconv ? "deconvolution_forward" : "convolution_forward",
                Descriptors.describe(convSrcDesc), Descriptors.describe(chosenWeights),
                Descriptors.describe(kernel.userWeightsDesc()), Descriptors.describe(convDstDesc),
                Descriptors.describe(userSrcDesc), Descriptors.describe(userDstDesc), strides, dilates, padL, padR,
                owner.own(pd.impl_info_str()).getString(), reorder,
                convScratchpad == null ? 0 : convScratchpad.get_size());
    }

    private primitive_attr userScratchpadAttr() {
        primitive_attr a = owner.own(new primitive_attr());
        a.set_scratchpad_mode(dnnl.scratchpad_mode.user);
        return a;
    }

    private static memory.desc nonEmpty(memory.desc md) {
        return md.get_size() == 0 ? null : md;
    }

    boolean matches(int n, Geometry g) {
        return batch == n && geometry.inWidth() == g.inWidth();
    }

    /** Takes an idle context or makes one; the caller must {@link #give(ExecutionContext)} it back. */
    ExecutionContext take() {
        synchronized (idle) {
            ExecutionContext c = idle.pollFirst();
            if (c != null) {
                return c;
            }
        }
        ExecutionContext c;
        try {
            c = new ExecutionContext(this);
        } catch (RuntimeException e) { // dnnl::error: a scratchpad or buffer it cannot allocate
            throw new IllegalArgumentException("shape: oneDNN cannot allocate the buffers for batch " + batch
                    + ", width " + geometry.inWidth() + " (" + e.getMessage() + ")", e);
        }
        synchronized (idle) {
            all.add(c);
        }
        return c;
    }

    void give(ExecutionContext c) {
        synchronized (idle) {
            idle.addFirst(c);
        }
    }

    /** Frees everything; only once no execution uses this plan. */
    void close() {
        synchronized (idle) {
            for (ExecutionContext c : all) {
                c.close();
            }
            all.clear();
            idle.clear();
        }
        owner.close();
    }

    engine engine() {
        return engine;
    }

    dnnl_primitive primitive() {
        return primitive;
    }

    memory.desc userSrcDesc() {
        return userSrcDesc;
    }

    memory.desc userDstDesc() {
        return userDstDesc;
    }

    memory.desc convSrcDesc() {
        return convSrcDesc;
    }

    memory.desc convDstDesc() {
        return convDstDesc;
    }

    memory.desc convScratchpad() {
        return convScratchpad;
    }

    boolean reordersActivations() {
        return srcReorder != null;
    }

    dnnl_primitive srcReorder() {
        return srcReorder;
    }

    dnnl_primitive dstReorder() {
        return dstReorder;
    }

    memory.desc srcReorderScratchpad() {
        return srcReorderScratchpad;
    }

    memory.desc dstReorderScratchpad() {
        return dstReorderScratchpad;
    }

    memory weights() {
        return weights;
    }

    memory bias() {
        return bias;
    }

    /** @return the edge padder, or {@code null} where oneDNN's zero padding is used directly */
    EdgePadder edgePadder() {
        return edgePadder;
    }

    /** @return the columns the primitive does not write, or {@code null} where it writes them all */
    BiasTail biasTail() {
        return biasTail;
    }

    int paddedElements() {
        return paddedElements;
    }

    int srcElements() {
        return srcElements;
    }

    int dstElements() {
        return dstElements;
    }

    PlanReport report() {
        return report;
    }
}
