package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.batch_normalization_forward;
import org.bytedeco.dnnl.binary;
import org.bytedeco.dnnl.concat;
import org.bytedeco.dnnl.eltwise_forward;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.memory_desc_vector;
import org.bytedeco.dnnl.pooling_forward;
import org.bytedeco.dnnl.post_ops;
import org.bytedeco.dnnl.prelu_forward;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.primitive_attr;
import org.bytedeco.dnnl.primitive_desc;
import org.bytedeco.dnnl.primitive_desc_base;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.javacpp.FloatPointer;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.lowering.Lowerer;
import org.conv1d4j.internal.lowering.Lowering;
import org.conv1d4j.internal.lowering.Mapping;
import org.conv1d4j.internal.lowering.Target;
import org.conv1d4j.internal.lowering.WeightView;
import org.conv1d4j.internal.net.Int8Setup;
import org.conv1d4j.internal.net.Layer;
import org.conv1d4j.internal.net.PostOp;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_SCALES;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_ZERO_POINTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MULTIPLE_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * Translates a fused network ({@link Layer}s) for one (N, W) into oneDNN primitives, in order, as oneDNN's examples
 * chain primitives: every conv asks for its source, weights and destination in format {@code any}, so tensors between
 * convs stay in the blocked layouts the kernels prefer; a reorder is added only where a primitive chose another
 * descriptor than the tensor it reads has (and a tensor converted once is reused by later readers). Other nodes read
 * their input in whatever layout it has. The caller's input is read in place and the output is written in place where
 * the descriptors agree. Every tensor gets a buffer; {@link NetPlan} places the buffers whose lifetimes do not
 * overlap at the same offsets. In int8 each conv reads its input tensor in u8 and its weights in s8: a tensor
 * another int8 conv wrote in u8 for it (requantized in that conv's epilogue, {@link #requantizedOutput}), or a u8
 * copy quantized by the reorder that makes it (reused by every conv reading that tensor); it writes float32 where
 * anything else reads its output.
 */
final class NetPlanner {
    private static final memory.data_type F32 = memory.data_type.f32;

    private final NativeOwner owner;
    private final engine cpu;
    private final Mapping mapping;
    private final Target target;
    private final int batch;
    private final int threads;
    /** What intermediate tensors and the convs' sources and weights are kept in (f32 in int8). */
    private final memory.data_type dt;
    /** int8: every conv input tensor's quantization and the convs that stay float32; else none. */
    private final Int8Setup int8;
    /** int8: each quantized tensor's scale and zero point as oneDNN arguments, made once per plan. */
    private final Map<String, memory[]> quantizationArgs = new HashMap<>();
    private final Map<String, Integer> widths;
    private final Map<String, Integer> channels;
    private final Map<String, Integer> lastReader;
    private final NetWeights weights;
    private final String outputName;
    private final memory.desc callerInput;
    private final memory.desc callerOutput;

    private final List<NetStep> steps = new ArrayList<>();
    private final List<Long> sizes = new ArrayList<>();
    private final List<int[]> lifetimes = new ArrayList<>();
    private final Map<String, NetStep.View> tensors = new HashMap<>();
    private final Map<String, List<NetStep.View>> converted = new HashMap<>();
    private final List<Kernel> kernels = new ArrayList<>();
    /** What each conv's successful build made (a failed attempt frees its own). */
    private final List<NativeOwner> attempts = new ArrayList<>();
    private int layerIndex;
    /** The layers that read each tensor (as input or residual). */
    private final Map<String, List<Layer>> readers = new HashMap<>();

    NetPlanner(NetPlan.Inputs in, NativeOwner owner) {
        this.owner = owner;
        this.cpu = in.cpu();
        this.mapping = in.mapping();
        this.target = new Target(mapping, Precision.F32, NcwStrategy.AUTO);
        this.batch = in.batch();
        this.threads = in.threads();
        this.dt = in.precision() == Precision.BF16 ? memory.data_type.bf16 : F32;
        this.int8 = in.precision() == Precision.INT8 ? in.int8() : Int8Setup.NONE;
        this.widths = in.graph().widths(in.batch(), in.width());
        this.channels = new HashMap<>();
        this.lastReader = in.lastReader();
        this.weights = in.weights();
        this.outputName = in.graph().outputName();
        channels.put(in.graph().inputName(), in.graph().inputChannels());
        for (NetNode n : in.graph().nodes()) {
            channels.put(n.output(), in.graph().channelsOf(n.output()));
        }
        memory.format_tag tag = FormatTags.of(mapping.activationFormat(in.layout()));
        String inName = in.graph().inputName();
        callerInput = own(new memory.desc(dims(channels.get(inName), widths.get(inName)), F32, tag));
        callerOutput = own(new memory.desc(dims(in.graph().outputChannels(), widths.get(outputName)), F32, tag));
        sizes.add(0L);
        sizes.add(0L);
        lifetimes.add(new int[] {0, 0});
        lifetimes.add(new int[] {0, 0});
        tensors.put(inName, new NetStep.View(NetStep.CALLER_INPUT, callerInput));
    }

    /** Plans every layer, then the copy into the caller's output where the last tensor is elsewhere. */
    void plan(List<Layer> layers) {
        for (Layer layer : layers) {
            for (String t : NetEngine.reads(layer)) {
                readers.computeIfAbsent(t, k -> new ArrayList<>()).add(layer);
            }
        }
        for (layerIndex = 0; layerIndex < layers.size(); layerIndex++) {
            Layer layer = layers.get(layerIndex);
            if (layer instanceof Layer.Conv c) {
                conv(c);
            } else {
                single(((Layer.Single) layer).node());
            }
        }
        NetStep.View last = tensors.get(outputName);
        if (last.buffer() != NetStep.CALLER_OUTPUT) {
            reorder(last, new NetStep.View(NetStep.CALLER_OUTPUT, callerOutput));
        }
    }

    List<NetStep> steps() {
        return steps;
    }

    List<Long> sizes() {
        return sizes;
    }

    List<int[]> lifetimes() {
        return lifetimes;
    }

    List<Kernel> kernels() {
        return kernels;
    }

    List<NativeOwner> attempts() {
        return attempts;
    }

    memory.desc callerInput() {
        return callerInput;
    }

    memory.desc callerOutput() {
        return callerOutput;
    }

    // ---- convs

    private void conv(Layer.Conv layer) {
        ConvNode c = layer.conv();
        NetStep.View in = tensors.get(c.input());
        int w = widths.get(c.input());
        Conv1dSpec spec = c.specFor(w);
        Geometry g = spec.geometry(w);
        Lowering lw = Lowerer.lower(spec, target, batch, g);
        boolean fuses = lw.variant() == Lowering.Variant.PLAIN
                || (lw.variant() == Lowering.Variant.TRANSPOSED && lw.biasTail() == 0);
        if (!fuses) {
            singleOpConv(layer, spec, g, in);
            return;
        }
        // a dilated conv whose widths the dilation divides runs undilated on the view (N, C, W/d, d) (Lowerer's
        // folding, which the lowering offers for channels-last specs): the chain's tensors keep the width innermost,
        // so the view is a reshape of the same bytes. oneDNN's depthwise kernels have no dilation: Conv-TasNet's
        // dilated layers ran on a plain gemm, 467 of its 592 ms.
        Lowering folded = Lowerer.lower(spec.toBuilder().layout(Layout.NWC).weightLayout(spec.weightLayout()).build(),
                target, batch, g);
        if (folded.variant() != Lowering.Variant.FOLDED && paddedFold(layer, spec, g, in)) {
            return;
        }
        residualInChainLayout(layer, in);
        List<Lowering> tries = folded.variant() == Lowering.Variant.FOLDED ? List.of(folded, lw) : List.of(lw);
        NetStep.View sumInto = inPlaceResidual(layer);
        for (Lowering l : tries) {
            for (NetStep.View into : sumInto != null ? Arrays.asList(sumInto, null)
                    : Collections.<NetStep.View>singletonList(null)) {
                try {
                    fusedConv(layer, spec, l, in, into);
                    return;
                } catch (RuntimeException e) { // no kernel for that layout or view: try the next
                    if (l == lw && into == null) {
                        throw e;
                    }
                }
            }
        }
    }

    /**
     * A dilated conv whose width alone the dilation does not divide (Conv-TasNet's d = 64 on W = 4000) folds on the
     * input widened with zeros to {@code W'}, the next multiple of {@code d}: outputs {@code t < OW} read the same
     * values as before (the added columns are zeros, as the right padding was), and the {@code W' - W} extra outputs
     * are cropped. The widened copy and the crop are two reorders and a zeroing: a few ms where the unfolded dilated
     * depthwise conv ran on a plain gemm for 30 ms. Not where the conv sums a residual (its shape is the narrow one).
     *
     * @return whether it was planned so
     */
    private boolean paddedFold(Layer.Conv layer, Conv1dSpec spec, Geometry g, NetStep.View in) {
        int d = spec.dilation();
        if (mapping != Mapping.TWO_D || d == 1 || spec.stride() != 1 || spec.op() != org.conv1d4j.spec.Op.CONV1D
                || spec.paddingMode() != PaddingMode.ZEROS || g.padLeft() % d != 0 || g.padRight() % d != 0
                || layer.postOps().stream().anyMatch(op -> op instanceof PostOp.Residual)) {
            return false;
        }
        int wide = (int) Math.min(Integer.MAX_VALUE - 8L, ((long) g.inWidth() + d - 1) / d * d);
        Conv1dSpec fixed = spec.toBuilder().padding(org.conv1d4j.spec.Padding.explicit(g.padLeft(), g.padRight()))
                .build();
        Geometry gw = fixed.geometry(wide);
        Lowering lw = Lowerer.lower(fixed.toBuilder().layout(Layout.NWC).weightLayout(spec.weightLayout()).build(),
                target, batch, gw);
        if (lw.variant() != Lowering.Variant.FOLDED) {
            return false;
        }
        int cin = spec.inChannels();
        NetStep.View widened = newBuffer(sameFormat(in.md(), dims(cin, wide), dt));
        String name = layer.output() + " (widened)";
        try {
            fusedConv(layer, fixed, lw, widened, null, () -> {
                zero(widened);
                copyColumns(in, 0, widened, 0, g.inWidth(), cin);
            }, name);
        } catch (RuntimeException e) { // oneDNN has no kernel for it: the plain conv
            return false;
        }
        NetStep.View wideOut = tensors.remove(name);
        NetStep.View y = output(layer.output(), sameFormat(wideOut.md(), dims(spec.outChannels(), g.outWidth())));
        copyColumns(wideOut, 0, y, 0, g.outWidth(), spec.outChannels());
        tensors.put(layer.output(), y);
        return true;
    }

    /**
     * A residual read from the caller's plain input is first converted to the layout of the conv's own input: a
     * binary post-op whose operand has another layout than the destination left oneDNN only its reference kernel
     * (TCN in NCW: one conv took 1.25 s of 1.31).
     */
    private void residualInChainLayout(Layer.Conv layer, NetStep.View in) {
        for (PostOp op : layer.postOps()) {
            if (op instanceof PostOp.Residual r) {
                NetStep.View v = tensors.get(r.other());
                if (v.buffer() == NetStep.CALLER_INPUT && in.buffer() != NetStep.CALLER_INPUT) {
                    String name = r.other();
                    // in the input's format but the chain's type: an int8 conv's input may be u8, a residual is not
                    memory.desc want = sameFormat(in.md(), dims(channels.get(name), widths.get(name)), dt);
                    tensors.put(name, as(name, v, want));
                }
            }
        }
    }

    /**
     * The residual a conv can sum into in place: the first one, where its tensor is an arena buffer that nothing reads
     * after this layer (so the conv's output may overwrite it) and not the conv's own input.
     */
    private NetStep.View inPlaceResidual(Layer.Conv layer) {
        for (PostOp op : layer.postOps()) {
            if (op instanceof PostOp.Residual r) {
                NetStep.View v = tensors.get(r.other());
                boolean free = v.buffer() >= NetStep.FIRST_ARENA && lastReader.get(r.other()) == layerIndex
                        && !r.other().equals(layer.conv().input());
                return free ? v : null;
            }
        }
        return null;
    }

    /**
     * Builds the conv with its post-ops, then adds the steps. Everything that can fail (a descriptor oneDNN refuses, a
     * view that is no reshape) happens before the planner's state changes, so a failed try leaves no trace.
     */
    private void fusedConv(Layer.Conv layer, Conv1dSpec spec, Lowering lw, NetStep.View in, NetStep.View sumInto) {
        fusedConv(layer, spec, lw, in, sumInto, () -> { }, layer.output());
    }

    /**
     * As above, with {@code fill} adding the steps that write {@code in} once the conv is known to build, and the
     * result kept as tensor {@code output}: in u8 where {@link #requantizedOutput} allows it and oneDNN has a kernel
     * for it, else as the chain keeps its tensors.
     */
    private void fusedConv(Layer.Conv layer, Conv1dSpec spec, Lowering lw, NetStep.View in, NetStep.View sumInto,
                           Runnable fill, String output) {
        Quantization requantized = sumInto == null ? requantizedOutput(layer) : null;
        if (requantized != null) {
            try {
                fusedConv(layer, spec, lw, in, sumInto, fill, output, requantized);
                return;
            } catch (RuntimeException e) { // no kernel writes u8 for this conv: its readers quantize instead
                // fall through
            }
        }
        fusedConv(layer, spec, lw, in, sumInto, fill, output, null);
    }

    /** As above, writing u8 with {@code requantized}, or the chain's type where it is null. */
    private void fusedConv(Layer.Conv layer, Conv1dSpec spec, Lowering lw, NetStep.View in, NetStep.View sumInto,
                           Runnable fill, String output, Quantization requantized) {
        NativeOwner attempt = new NativeOwner();
        try {
            long[] dstDims = lw.dstDims();
            List<NetStep.Arg> postArgs = new ArrayList<>();
            StringBuilder detail = new StringBuilder();
            primitive_attr attr = attr(attempt);
            attr.set_post_ops(postOps(layer, spec, sumInto, dstDims, postArgs, detail, attempt));
            Quantization q = int8.of(layer.conv().name(), layer.conv().input());
            if (q != null) {
                Int8Attributes.convolution(attr, lw.weightDims().length > lw.srcDims().length);
            }
            memory.desc srcAsk = attempt.own(new memory.desc(lw.srcDims(), q != null ? memory.data_type.u8 : dt,
                    memory.format_tag.any));
            if (requantized != null) {
                Int8Attributes.quantizedDestination(attr);
                memory[] sz = quantizationArgs(layer.output(), requantized);
                postArgs.add(new NetStep.Arg(DNNL_ARG_ATTR_SCALES | DNNL_ARG_DST, null, sz[0]));
                postArgs.add(new NetStep.Arg(DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST, null, sz[1]));
                detail.append("requantized to u8 (scale ").append(requantized.scale()).append(" zero ")
                        .append(requantized.zeroPoint()).append(") for the int8 convs that read it ");
            }
            memory.desc dstAsk = sumInto != null ? view(sumInto.md(), dstDims, attempt)
                    : attempt.own(new memory.desc(dstDims, requantized != null ? memory.data_type.u8 : dt,
                            memory.format_tag.any));
            memory.desc weightsAsk = attempt.own(new memory.desc(lw.weightDims(),
                    q != null ? memory.data_type.s8 : dt, memory.format_tag.any));
            KernelWeights kw = weights.of(layer, spec, q != null);
            memory.desc biasDesc = kw.bias() == null ? null : attempt.own(kw.bias().get_desc());
            primitive_desc pd = attempt.own(ConvPrimitives.desc(cpu, lw, srcAsk, weightsAsk, biasDesc, dstAsk, attr));
            primitive prim = attempt.own(ConvPrimitives.of(lw, pd));
            memory.desc srcDesc = attempt.own(pd.src_desc());
            memory.desc dstDesc = attempt.own(pd.dst_desc());
            memory.desc weightsDesc = attempt.own(pd.weights_desc());
            boolean reshaped = !Arrays.equals(dimsOf(in.md()), lw.srcDims());
            memory.desc inView = view(in.md(), lw.srcDims(), attempt);
            memory.desc flatDst = view(dstDesc, dims(spec.outChannels(), lw.user().outWidth()), attempt);
            memory kernelWeights = kw.in(weightsDesc, lw.weightView());
            attempts.add(attempt);
            attempt = null;

            fill.run();
            NetStep.View src = !reshaped ? as(layer.conv().input(), in, srcDesc, q)
                    : as(layer.conv().input() + " " + Arrays.toString(lw.srcDims()),
                            new NetStep.View(in.buffer(), inView), srcDesc, q);
            NetStep.View tensor = sumInto != null ? sumInto : output(output, flatDst);
            List<NetStep.Arg> args = new ArrayList<>();
            args.add(new NetStep.Arg(DNNL_ARG_SRC, src, null));
            args.add(new NetStep.Arg(DNNL_ARG_WEIGHTS, null, kernelWeights));
            if (kw.bias() != null) {
                args.add(new NetStep.Arg(DNNL_ARG_BIAS, null, kw.bias()));
            }
            args.add(new NetStep.Arg(DNNL_ARG_DST, new NetStep.View(tensor.buffer(), sumInto != null ? dstAsk : dstDesc),
                    null));
            args.addAll(postArgs);
            if (q != null) {
                memory[] sz = quantizationArgs(layer.conv().input(), q);
                args.add(new NetStep.Arg(DNNL_ARG_ATTR_SCALES | DNNL_ARG_SRC, null, sz[0]));
                args.add(new NetStep.Arg(DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, null, sz[1]));
                args.add(new NetStep.Arg(DNNL_ARG_ATTR_SCALES | DNNL_ARG_WEIGHTS, null, kw.scales()));
                detail.append("int8 (u8 scale ").append(q.scale()).append(" zero ").append(q.zeroPoint())
                        .append(", s8 weights per channel) ");
            }
            String folded = lw.variant() == Lowering.Variant.FOLDED ? "dilation folded into the height; " : "";
            add(lw.isDeconvolution() ? "deconvolution_forward" : "convolution_forward", layer.nodes(),
                    folded + detail, pd, prim, args);
            tensors.put(output, tensor);
        } finally {
            if (attempt != null) {
                attempt.close();
            }
        }
    }

    /**
     * The quantization an int8 conv writes its output in, u8, when every reader of it is an int8 conv that reads it as
     * its input through the fused path (no dilation to fold, no single-op fallback), it is not the network's output
     * and the conv sums no residual: those readers would quantize it anyway, so the conv's epilogue does it
     * ({@code / s + z}, rounded, saturated) and the separate pass and the float32 tensor go. {@code null} otherwise.
     */
    private Quantization requantizedOutput(Layer.Conv layer) {
        String t = layer.output();
        List<Layer> rs = readers.get(t);
        if (int8.of(layer.conv().name(), layer.conv().input()) == null || t.equals(outputName) || rs == null
                || layer.postOps().stream().anyMatch(op -> op instanceof PostOp.Residual)) {
            return null;
        }
        Quantization q = null;
        for (Layer r : rs) {
            if (!(r instanceof Layer.Conv c) || !c.conv().input().equals(t)
                    || c.postOps().stream().anyMatch(op -> op instanceof PostOp.Residual res && res.other().equals(t))) {
                return null;
            }
            Quantization rq = int8.of(c.conv().name(), t);
            Conv1dSpec spec = c.conv().specFor(widths.get(t));
            if (rq == null || spec.dilation() != 1) {
                return null;
            }
            Lowering lw = Lowerer.lower(spec, target, batch, spec.geometry(widths.get(t)));
            if (!(lw.variant() == Lowering.Variant.PLAIN
                    || (lw.variant() == Lowering.Variant.TRANSPOSED && lw.biasTail() == 0))) {
                return null;
            }
            q = rq;
        }
        return q;
    }

    /** {@code md} with dims {@code d}: itself where they are its dims, else the reshape of the same bytes (or throws). */
    private static memory.desc view(memory.desc md, long[] d, NativeOwner o) {
        return Arrays.equals(dimsOf(md), d) ? md : o.own(md.reshape(d));
    }

    private static long[] dimsOf(memory.desc md) {
        long[] have = new long[md.get_ndims()];
        try (org.bytedeco.javacpp.LongPointer p = md.get_dims()) {
            p.get(have);
        }
        return have;
    }

    private post_ops postOps(Layer.Conv layer, Conv1dSpec spec, NetStep.View sumInto, long[] dstDims,
                             List<NetStep.Arg> args, StringBuilder detail, NativeOwner attempt) {
        post_ops ops = attempt.own(new post_ops());
        int cout = spec.outChannels();
        if (spec.activation() != Activation.NONE) {
            PostOps.Eltwise e = PostOps.of(spec.activation(), spec.alpha());
            ops.append_eltwise(e.alg(), e.alpha(), e.beta());
            detail.append(spec.activation().toString().toLowerCase(java.util.Locale.ROOT)).append(' ');
        }
        boolean summed = false;
        for (PostOp op : layer.postOps()) {
            int index = ops.len();
            int postOpArg = DNNL_ARG_ATTR_MULTIPLE_POST_OP_BASE * (index + 1);
            if (op instanceof PostOp.Eltwise e) {
                PostOps.Eltwise m = PostOps.of(e.function(), e.alpha(), e.beta());
                ops.append_eltwise(m.alg(), m.alpha(), m.beta());
                detail.append(e.function()).append(' ');
            } else if (op instanceof PostOp.Prelu p) {
                ops.append_prelu(p.slope().length == 1 ? 0 : 1 << 1);
                args.add(new NetStep.Arg(postOpArg | DNNL_ARG_WEIGHTS, null, slopes(p.slope(), cout)));
                detail.append("prelu ");
            } else if (op instanceof PostOp.Residual r) {
                if (sumInto != null && !summed) {
                    ops.append_sum();
                    summed = true;
                    detail.append("sum(").append(r.other()).append(", in place) ");
                } else {
                    NetStep.View other = tensors.get(r.other());
                    memory.desc seen = view(other.md(), dstDims, attempt);
                    ops.append_binary(dnnl.algorithm.binary_add, seen);
                    args.add(new NetStep.Arg(postOpArg | DNNL_ARG_SRC_1, new NetStep.View(other.buffer(), seen), null));
                    touch(other.buffer());
                    detail.append("add(").append(r.other()).append(") ");
                }
            }
        }
        return ops;
    }

    /** A conv the fused path does not build: the single-op engine on plain buffers, then its post-ops one by one. */
    private void singleOpConv(Layer.Conv layer, Conv1dSpec spec, Geometry g, NetStep.View in) {
        ConvNode c = layer.conv();
        NetStep.View src = arenaCopy(c.input(), in, plain(spec.inChannels(), g.inWidth()));
        Conv1dOptions options = Conv1dOptions.defaults().withEngine(mapping.engine()).withThreadsPerCall(threads);
        Quantization q = int8.of(c.name(), c.input());
        if (q != null) {
            options = options.withInt8(q);
        }
        Kernel kernel = OneDnnKernel.create(spec, c.weights(), c.bias(), options);
        kernels.add(kernel);
        NetStep.View dst = newBuffer(plain(spec.outChannels(), g.outWidth()));
        touch(src.buffer());
        touch(dst.buffer());
        steps.add(new NetStep.SingleOp(kernel, spec, batch, g, src.buffer(), dst.buffer(), layer.nodes()));
        NetStep.View cur = dst;
        List<String> none = List.of();
        for (PostOp op : layer.postOps()) {
            if (op instanceof PostOp.Eltwise e) {
                cur = eltwise(cur, PostOps.of(e.function(), e.alpha(), e.beta()), none);
            } else if (op instanceof PostOp.Prelu p) {
                cur = prelu(cur, p.slope(), spec.outChannels(), none);
            } else if (op instanceof PostOp.Residual r) {
                cur = add(cur, tensors.get(r.other()), none);
            }
        }
        tensors.put(layer.output(), cur);
    }

    // ---- other nodes

    private void single(NetNode node) {
        List<String> names = List.of(node.name());
        NetStep.View x = tensors.get(node.inputs().get(0));
        int c = channels.get(node.output());
        NetStep.View y;
        if (node instanceof PointwiseNode p) {
            y = eltwise(x, PostOps.of(p.function(), p.alpha(), p.beta()), names);
        } else if (node instanceof PReluNode p) {
            y = prelu(x, p.slope(), c, names);
        } else if (node instanceof AddNode a) {
            // the sum takes its first operand's layout: let that be the chain's, not the caller's plain input
            NetStep.View b = tensors.get(a.second());
            y = x.buffer() == NetStep.CALLER_INPUT ? add(b, x, names) : add(x, b, names);
        } else if (node instanceof BatchNormNode b) {
            y = batchNorm(x, b, names);
        } else if (node instanceof PadNode p) {
            y = pad(x, p, c);
        } else if (node instanceof SliceNode s) {
            y = slice(x, s, c);
        } else if (node instanceof ConcatNode cat) {
            y = concat(cat);
        } else if (node instanceof PoolNode p) {
            y = pool(x, p, c);
        } else if (node instanceof GlobalPoolNode gp) {
            y = globalPool(x, gp, c);
        } else {
            throw new IllegalStateException("no oneDNN plan for " + node.opType());
        }
        tensors.put(node.output(), y);
    }

    private NetStep.View eltwise(NetStep.View x, PostOps.Eltwise e, List<String> nodes) {
        var pd = own(new eltwise_forward.primitive_desc(cpu, dnnl.prop_kind.forward_inference, e.alg(), x.md(),
                x.md(), e.alpha(), e.beta(), attr(owner), false));
        NetStep.View y = newBuffer(x.md());
        add("eltwise_forward", nodes, e.alg().toString(), pd, own(new eltwise_forward(pd)),
                List.of(arg(DNNL_ARG_SRC, x), arg(DNNL_ARG_DST, y)));
        return y;
    }

    private NetStep.View prelu(NetStep.View x, float[] slope, int c, List<String> nodes) {
        memory s = slopes(slope, c);
        var pd = own(new prelu_forward.primitive_desc(cpu, dnnl.prop_kind.forward_inference, x.md(),
                own(s.get_desc()), x.md(), attr(owner), false));
        NetStep.View y = newBuffer(x.md());
        add("prelu_forward", nodes, "", pd, own(new prelu_forward(pd)),
                List.of(arg(DNNL_ARG_SRC, x), new NetStep.Arg(DNNL_ARG_WEIGHTS, null, s), arg(DNNL_ARG_DST, y)));
        return y;
    }

    private NetStep.View add(NetStep.View a, NetStep.View b, List<String> nodes) {
        var pd = own(new binary.primitive_desc(cpu, dnnl.algorithm.binary_add, a.md(), b.md(), a.md(),
                attr(owner), false));
        NetStep.View y = newBuffer(a.md());
        add("binary", nodes, "add", pd, own(new binary(pd)),
                List.of(arg(DNNL_ARG_SRC, a), arg(DNNL_ARG_SRC_1, b), arg(DNNL_ARG_DST, y)));
        return y;
    }

    private NetStep.View batchNorm(NetStep.View x, BatchNormNode b, List<String> nodes) {
        int flags = dnnl.normalization_flags.use_global_stats.value | dnnl.normalization_flags.use_scale.value
                | dnnl.normalization_flags.use_shift.value;
        var pd = own(new batch_normalization_forward.primitive_desc(cpu, dnnl.prop_kind.forward_inference.value,
                x.md(), x.md(), (float) b.epsilon(), flags, attr(owner), false));
        NetStep.View y = newBuffer(x.md());
        add("batch_normalization_forward", nodes, "", pd, own(new batch_normalization_forward(pd)),
                List.of(arg(DNNL_ARG_SRC, x), new NetStep.Arg(DNNL_ARG_MEAN, null, vector(b.mean())),
                        new NetStep.Arg(DNNL_ARG_VARIANCE, null, vector(b.variance())),
                        new NetStep.Arg(DNNL_ARG_SCALE, null, vector(b.scale())),
                        new NetStep.Arg(DNNL_ARG_SHIFT, null, vector(b.bias())), arg(DNNL_ARG_DST, y)));
        return y;
    }

    /** The body copied into the middle of a zeroed buffer, then each padded column copied from its source column. */
    private NetStep.View pad(NetStep.View x, PadNode p, int c) {
        int w = widths.get(p.input());
        NetStep.View y = newBuffer(sameFormat(x.md(), dims(c, w + p.left() + p.right())));
        zero(y);
        copyColumns(x, 0, y, p.left(), w, c);
        if (p.mode() != PaddingMode.ZEROS) {
            for (int j = 0; j < p.left(); j++) {
                copyColumns(x, p.mode().sourceIndex(j - p.left(), w), y, j, 1, c);
            }
            for (int j = 0; j < p.right(); j++) {
                copyColumns(x, p.mode().sourceIndex(w + j, w), y, p.left() + w + j, 1, c);
            }
        }
        return y;
    }

    private NetStep.View slice(NetStep.View x, SliceNode s, int c) {
        int w = widths.get(s.input());
        int ow = widths.get(s.output());
        NetStep.View y = newBuffer(sameFormat(x.md(), dims(c, ow)));
        zero(y);
        copyColumns(x, s.first(w), y, 0, ow, c);
        return y;
    }

    private NetStep.View concat(ConcatNode cat) {
        memory_desc_vector parts = own(new memory_desc_vector());
        List<NetStep.Arg> args = new ArrayList<>();
        for (int i = 0; i < cat.inputs().size(); i++) {
            String name = cat.inputs().get(i);
            NetStep.View v = tensors.get(name);
            if (v.md().get_data_type().value != dt.value) { // concat takes one data type: the caller's float32 input is converted
                v = as(name, v, sameFormat(v.md(), dims(channels.get(name), widths.get(name)), dt));
            }
            parts.push_back(v.md());
            args.add(arg(DNNL_ARG_MULTIPLE_SRC + i, v));
        }
        var pd = own(new concat.primitive_desc(cpu, 1, parts, attr(owner), false));
        NetStep.View y = output(cat.output(), own(pd.dst_desc()));
        args.add(arg(DNNL_ARG_DST, y));
        add("concat", List.of(cat.name()), "", pd, own(new concat(pd)), args);
        return y;
    }

    private NetStep.View pool(NetStep.View x, PoolNode p, int c) {
        int w = widths.get(p.input());
        int ow = widths.get(p.output());
        long right = Math.max(p.padRight(), (long) (ow - 1) * p.stride() + p.effectiveKernel() - w - p.padLeft());
        if (!p.max() && p.countIncludePad() && right > p.padRight()) {
            throw new InvalidInputException("node '" + p.name() + "' (AveragePool): ceil_mode with count_include_pad "
                    + "where the last window passes the padding is not run on oneDNN (it divides by the whole "
                    + "window); use Engine.REFERENCE");
        }
        var alg = p.max() ? dnnl.algorithm.pooling_max : p.countIncludePad()
                ? dnnl.algorithm.pooling_avg_include_padding : dnnl.algorithm.pooling_avg_exclude_padding;
        memory.desc dstAsk = own(new memory.desc(dims(c, ow), x.md().get_data_type(), memory.format_tag.any));
        var pd = own(new pooling_forward.primitive_desc(cpu, dnnl.prop_kind.forward_inference, alg, x.md(), dstAsk,
                mapping.spatial(1, p.stride()), mapping.spatial(1, p.kernel()), mapping.spatial(0, p.dilation() - 1L),
                mapping.spatial(0, p.padLeft()), mapping.spatial(0, right), attr(owner), false));
        NetStep.View y = output(p.output(), own(pd.dst_desc()));
        add("pooling_forward", List.of(p.name()), alg.toString(), pd, own(new pooling_forward(pd)),
                List.of(arg(DNNL_ARG_SRC, x), arg(DNNL_ARG_DST, y)));
        return y;
    }

    /**
     * A global pool as a pooling window as wide as the input: oneDNN's pooling has jit kernels for the blocked and
     * channels-last layouts, where its reduction primitive fell back to {@code ref:any} (half the text-CNN's time).
     */
    private NetStep.View globalPool(NetStep.View x, GlobalPoolNode gp, int c) {
        int w = widths.get(gp.input());
        var alg = gp.max() ? dnnl.algorithm.pooling_max : dnnl.algorithm.pooling_avg_exclude_padding;
        memory.desc dstAsk = own(new memory.desc(dims(c, 1), x.md().get_data_type(), memory.format_tag.any));
        var pd = own(new pooling_forward.primitive_desc(cpu, dnnl.prop_kind.forward_inference, alg, x.md(), dstAsk,
                mapping.spatial(1, 1), mapping.spatial(1, w), mapping.spatial(0, 0), mapping.spatial(0, 0),
                mapping.spatial(0, 0), attr(owner), false));
        NetStep.View y = output(gp.output(), own(pd.dst_desc()));
        add("pooling_forward", List.of(gp.name()), alg.toString(), pd, own(new pooling_forward(pd)),
                List.of(arg(DNNL_ARG_SRC, x), arg(DNNL_ARG_DST, y)));
        return y;
    }

    // ---- buffers, copies and steps

    /** {@code count} columns from {@code srcCol} of {@code x} into {@code dstCol} of {@code y}: a sub-memory reorder. */
    private void copyColumns(NetStep.View x, int srcCol, NetStep.View y, int dstCol, int count, int c) {
        long[] part = dims(c, count);
        memory.desc from = own(x.md().submemory_desc(part, mapping.activationDims(0, 0, 0, srcCol)));
        memory.desc to = own(y.md().submemory_desc(part, mapping.activationDims(0, 0, 0, dstCol)));
        reorder(new NetStep.View(x.buffer(), from), new NetStep.View(y.buffer(), to));
    }

    private void reorder(NetStep.View from, NetStep.View to) {
        reorder(from, to, null, null);
    }

    /** A reorder that, with {@code q}, quantizes to {@code to}'s u8 with tensor {@code name}'s scale and zero point. */
    private void reorder(NetStep.View from, NetStep.View to, String name, Quantization q) {
        primitive_attr a = attr(owner);
        List<NetStep.Arg> args = new ArrayList<>(List.of(arg(DNNL_ARG_FROM, from), arg(DNNL_ARG_TO, to)));
        String what = "";
        if (q != null) {
            Int8Attributes.quantizedDestination(a);
            memory[] sz = quantizationArgs(name, q);
            args.add(new NetStep.Arg(DNNL_ARG_ATTR_SCALES | DNNL_ARG_DST, null, sz[0]));
            args.add(new NetStep.Arg(DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST, null, sz[1]));
            what = " (quantized: scale " + q.scale() + ", zero " + q.zeroPoint() + ")";
        }
        var pd = own(new reorder.primitive_desc(cpu, from.md(), cpu, to.md(), a, false));
        add("reorder", List.of(), Descriptors.describe(from.md()) + " -> " + Descriptors.describe(to.md()) + what,
                pd, own(new reorder(pd)), args);
    }

    /** Tensor {@code name}'s scale and zero point as one-element memories, made once per plan. */
    private memory[] quantizationArgs(String name, Quantization q) {
        return quantizationArgs.computeIfAbsent(name, k -> new memory[] {Int8Attributes.scale(cpu, q, owner),
                Int8Attributes.zeroPoint(cpu, q, owner)});
    }

    /** Tensor {@code name} (held in {@code v}) as {@code want}: itself, or a copy reordered once and reused. */
    private NetStep.View as(String name, NetStep.View v, memory.desc want) {
        return as(name, v, want, null);
    }

    /**
     * As {@link #as(String, NetStep.View, memory.desc)}; with {@code q}, {@code want} is u8 and the copy quantizes
     * with {@code q}.
     */
    private NetStep.View as(String name, NetStep.View v, memory.desc want, Quantization q) {
        if (v.md().equals(want)) {
            return v;
        }
        List<NetStep.View> copies = converted.computeIfAbsent(name, k -> new ArrayList<>());
        for (NetStep.View copy : copies) {
            if (copy.md().equals(want)) {
                touch(copy.buffer());
                return copy;
            }
        }
        NetStep.View copy = newBuffer(want);
        // a tensor its producer already wrote in u8 (requantizedOutput) only changes layout
        reorder(v, copy, name, v.md().get_data_type() == memory.data_type.u8 ? null : q);
        copies.add(copy);
        return copy;
    }

    /** Tensor {@code name} as {@code want} in an arena buffer (the single-op engine reads no caller buffer). */
    private NetStep.View arenaCopy(String name, NetStep.View v, memory.desc want) {
        if (v.buffer() >= NetStep.FIRST_ARENA || !v.md().equals(want)) {
            return as(name, v, want);
        }
        NetStep.View copy = newBuffer(want);
        reorder(v, copy);
        return copy;
    }

    /** The buffer for tensor {@code name}: the caller's output where it is the network's and the layout agrees. */
    private NetStep.View output(String name, memory.desc md) {
        if (name.equals(outputName) && md.equals(callerOutput)) {
            return new NetStep.View(NetStep.CALLER_OUTPUT, callerOutput);
        }
        return newBuffer(md);
    }

    private NetStep.View newBuffer(memory.desc md) {
        sizes.add(md.get_size());
        lifetimes.add(new int[] {steps.size(), steps.size()});
        return new NetStep.View(sizes.size() - 1, md);
    }

    /** Marks a buffer as used by the step about to be added. */
    private void touch(int buffer) {
        int[] life = lifetimes.get(buffer);
        life[0] = Math.min(life[0], steps.size());
        life[1] = Math.max(life[1], steps.size());
    }

    private void zero(NetStep.View y) {
        touch(y.buffer());
        steps.add(new NetStep.Zero(y.buffer(), y.md().get_size()));
    }

    private void add(String kind, List<String> nodes, String detail, primitive_desc_base pd, primitive prim,
                     List<NetStep.Arg> args) {
        for (NetStep.Arg a : args) {
            if (a.view() != null) {
                touch(a.view().buffer());
            }
        }
        memory.desc scratch = own(pd.scratchpad_desc());
        steps.add(new NetStep.Run(kind, nodes, detail.trim(), prim.get(), List.copyOf(args),
                scratch.get_size() == 0 ? null : scratch, own(pd.impl_info_str()).getString()));
    }

    private static NetStep.Arg arg(int id, NetStep.View v) {
        return new NetStep.Arg(id, v, null);
    }

    private primitive_attr attr(NativeOwner o) {
        primitive_attr a = o.own(new primitive_attr());
        a.set_scratchpad_mode(dnnl.scratchpad_mode.user);
        return a;
    }

    /** PReLU's slopes as oneDNN reads them: dims {@code (1, C, 1, 1)}, or all ones for one shared slope. */
    private memory slopes(float[] slope, int c) {
        long[] d = slope.length == 1 ? mapping.activationDims(1, 1, 1, 1) : mapping.activationDims(1, c, 1, 1);
        memory.format_tag plain = mapping == Mapping.TWO_D ? memory.format_tag.abcd : memory.format_tag.abc;
        return filled(own(new memory.desc(d, F32, plain)), slope);
    }

    private memory vector(float[] values) {
        return filled(own(new memory.desc(new long[] {values.length}, F32, memory.format_tag.a)), values);
    }

    private memory filled(memory.desc d, float[] values) {
        memory m = own(new memory(d, cpu));
        try (FloatPointer p = new FloatPointer(m.get_data_handle())) {
            p.put(values, 0, values.length);
        }
        return m;
    }

    private long[] dims(long c, long w) {
        return mapping.activationDims(batch, c, 1, w);
    }

    private memory.desc plain(long c, long w) {
        memory.format_tag tag = FormatTags.of(mapping.activationFormat(Layout.NCW));
        return own(new memory.desc(dims(c, w), F32, tag));
    }

    /** A descriptor of {@code d} in the format of {@code like} (plain where that format has no name). */
    private memory.desc sameFormat(memory.desc like, long[] d) {
        return sameFormat(like, d, like.get_data_type());
    }

    private memory.desc sameFormat(memory.desc like, long[] d, memory.data_type type) {
        return own(new memory.desc(d, type, FormatTags.like(like, d.length, mapping)));
    }

    private <T extends org.bytedeco.javacpp.Pointer> T own(T p) {
        return owner.own(p);
    }
}
