package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.global.dnnl;
import org.conv1d4j.internal.lowering.Lowering;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.Quantization;

/**
 * The oneDNN primitive a {@link Lowering} describes, with the descriptors and reorders around it. Built as oneDNN's
 * convolution example does: memory descriptors (the weights' format {@code any}, so oneDNN picks it, and the
 * activations' {@code any} too where the lowering asks for reorders), attributes (the fused activation and a user
 * scratchpad), the primitive descriptor and the primitive; then the weights are reordered into the chosen format
 * once. The builder decides nothing: every choice is the lowering's. In int8 the input reorder quantizes (its
 * destination scale and zero point are the input's {@link Quantization}), and the primitive takes the same scale and
 * zero point for its source and the weights' per-output-channel scales, as run-time arguments this plan owns.
 */
final class Plan {
    private final NativeOwner owner = new NativeOwner();
    private final engine cpu;
    private final Lowering lowering;
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
    private final EdgePadder edgePadder;
    private final BiasTail biasTail;
    private final PlanReport report;
    /** int8: the input's scale (one f32) and zero point (one s32); null otherwise. */
    private final memory srcScale;
    private final memory srcZeroPoint;
    private final memory weightScales;

    /**
     * @param inputQuantization how an int8 lowering quantizes the input; ignored otherwise
     */
    Plan(engine cpu, Lowering lw, KernelWeights kernelWeights, Quantization inputQuantization) {
        try {
            Conv1dSpec spec = lw.spec();
            this.cpu = cpu;
            this.lowering = lw;
            this.edgePadder = lw.inputCopy() == null ? null : new EdgePadder(spec, lw.batch(), lw.inputCopy());
            this.biasTail = lw.biasTail() == 0 ? null
                    : new BiasTail(spec, kernelWeights.biasValues(), lw.batch(), lw.user().outWidth(), lw.biasTail());

            // memory descriptors: the activations as Java hands them over, and what the primitive is asked for
            var f32 = memory.data_type.f32;
            boolean int8 = lw.compute() == Lowering.DataType.INT8;
            var compute = switch (lw.compute()) {
                case F32 -> f32;
                case BF16 -> memory.data_type.bf16;
                case INT8 -> memory.data_type.u8;
            };
            memory.format_tag userTag = FormatTags.of(lw.userFormat());
            userSrcDesc = owner.own(new memory.desc(lw.srcDims(), f32, userTag));
            userDstDesc = owner.own(new memory.desc(lw.dstDims(), f32, userTag));
            memory.desc srcAsk = lw.reorderActivations()
                    ? owner.own(new memory.desc(lw.srcDims(), compute, memory.format_tag.any)) : userSrcDesc;
            memory.desc dstAsk = lw.reorderActivations()
                    ? owner.own(new memory.desc(lw.dstDims(), f32, memory.format_tag.any)) : userDstDesc;
            memory.desc weightsAsk = owner.own(new memory.desc(lw.weightDims(),
                    int8 ? memory.data_type.s8 : compute, memory.format_tag.any));
            memory.desc biasDesc = spec.hasBias()
                    ? owner.own(new memory.desc(new long[] {spec.outChannels()}, f32, memory.format_tag.a)) : null;

            // attributes: the activation as a post-op, and a scratchpad per execution context
            primitive_attr attr = userScratchpadAttr();
            if (int8) {
                Int8Attributes.convolution(attr, lw.weightDims().length > lw.srcDims().length);
                srcScale = Int8Attributes.scale(cpu, inputQuantization, owner);
                srcZeroPoint = Int8Attributes.zeroPoint(cpu, inputQuantization, owner);
            } else {
                srcScale = null;
                srcZeroPoint = null;
            }
            post_ops ops = PostOps.forSpec(spec, owner);
            if (ops != null) {
                attr.set_post_ops(ops);
            }

            // the primitive descriptor and the primitive
            primitive_desc pd = owner.own(ConvPrimitives.desc(cpu, lw, srcAsk, weightsAsk, biasDesc, dstAsk, attr));
            primitive prim = owner.own(ConvPrimitives.of(lw, pd));
            primitive = prim.get();
            convSrcDesc = owner.own(pd.src_desc());
            convDstDesc = owner.own(pd.dst_desc());
            convScratchpad = nonEmpty(owner.own(pd.scratchpad_desc()));

            // the weights in the format oneDNN chose, reordered once
            memory.desc chosenWeights = owner.own(pd.weights_desc());
            weights = kernelWeights.in(chosenWeights, lw.weightView());
            bias = kernelWeights.bias();
            weightScales = kernelWeights.scales();

            // reorders of the activations, each only where oneDNN chose another descriptor than the user's: a bf16
            // primitive whose f32 output already has the user's format writes straight into the user's buffer
            // (the identity copy it made before cost S1 a sixth of its time)
            if (lw.reorderActivations() && !convSrcDesc.equals(userSrcDesc)) {
                primitive_attr reorderAttr = userScratchpadAttr();
                if (int8) {
                    Int8Attributes.quantizedDestination(reorderAttr);
                }
                reorder.primitive_desc srcPd = owner.own(new reorder.primitive_desc(cpu, userSrcDesc, cpu,
                        convSrcDesc, reorderAttr, false));
                srcReorder = owner.own(new reorder(srcPd)).get();
                srcReorderScratchpad = nonEmpty(owner.own(srcPd.scratchpad_desc()));
            } else {
                srcReorder = null;
                srcReorderScratchpad = null;
            }
            if (lw.reorderActivations() && !convDstDesc.equals(userDstDesc)) {
                reorder.primitive_desc dstPd = owner.own(new reorder.primitive_desc(cpu, convDstDesc, cpu,
                        userDstDesc, userScratchpadAttr(), false));
                dstReorder = owner.own(new reorder(dstPd)).get();
                dstReorderScratchpad = nonEmpty(owner.own(dstPd.scratchpad_desc()));
            } else {
                dstReorder = null;
                dstReorderScratchpad = null;
            }
            report = new PlanReport(lw.mapping().engine(),
                    lw.isDeconvolution() ? "deconvolution_forward" : "convolution_forward",
                    Descriptors.describe(convSrcDesc), Descriptors.describe(chosenWeights),
                    Descriptors.describe(kernelWeights.userDesc()), Descriptors.describe(convDstDesc),
                    Descriptors.describe(userSrcDesc), Descriptors.describe(userDstDesc), lw.strides(), lw.dilates(),
                    lw.padLeft(), lw.padRight(),
                    owner.own(pd.impl_info_str()).getString(), srcReorder != null, dstReorder != null,
                    convScratchpad == null ? 0 : convScratchpad.get_size());
        } catch (RuntimeException | Error e) { // a shape oneDNN refuses: free what was made
            owner.close();
            throw e;
        }
    }


    private primitive_attr userScratchpadAttr() {
        primitive_attr a = owner.own(new primitive_attr());
        a.set_scratchpad_mode(dnnl.scratchpad_mode.user);
        return a;
    }

    private static memory.desc nonEmpty(memory.desc md) {
        return md.get_size() == 0 ? null : md;
    }

    /** Frees the primitive and descriptors; only once no execution context uses them. */
    void close() {
        owner.close();
    }

    Lowering lowering() {
        return lowering;
    }

    engine engine() {
        return cpu;
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

    boolean reordersInput() {
        return srcReorder != null;
    }

    boolean reordersOutput() {
        return dstReorder != null;
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

    /** @return the input copier, or {@code null} where the primitive reads the caller's input */
    EdgePadder edgePadder() {
        return edgePadder;
    }

    /** @return the columns the primitive does not write, or {@code null} where it writes them all */
    BiasTail biasTail() {
        return biasTail;
    }

    PlanReport report() {
        return report;
    }

    /** @return int8: the input's scale, a one-float memory; else {@code null} */
    memory srcScale() {
        return srcScale;
    }

    /** @return int8: the weights' per-output-channel scales; else {@code null} */
    memory weightScales() {
        return weightScales;
    }

    /** @return int8: the input's zero point, a one-int memory; else {@code null} */
    memory srcZeroPoint() {
        return srcZeroPoint;
    }
}
