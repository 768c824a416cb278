package org.conv1d4j.internal.onednn;

import org.conv1d4j.internal.lowering.Lowering;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.Pointer;

import java.nio.FloatBuffer;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_SCALES;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_ATTR_ZERO_POINTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

/**
 * Everything one execution of a {@link Plan} needs that must not be shared with a concurrent one: a stream, the
 * memory objects that point at the caller's buffers, the scratchpad, the input copy and the narrow output where
 * the lowering has them, intermediate buffers for reorders, and the argument arrays. Built once, reused for every
 * call, so a steady-state call creates no native object and allocates nothing on the Java heap.
 */
final class ExecutionContext {
    private final Plan plan;
    private final NativeOwner owner = new NativeOwner();
    private final dnnl_stream stream;
    private final dnnl_memory userSrc;
    private final dnnl_memory userDst;
    private final dnnl_exec_arg_t convArgs;
    private final int convArgCount;
    private final dnnl_exec_arg_t srcReorderArgs;
    private final int srcReorderArgCount;
    private final dnnl_exec_arg_t dstReorderArgs;
    private final DirectAddress srcAddress = new DirectAddress();
    private final DirectAddress dstAddress = new DirectAddress();
    private final AlignedFloats padded;
    private final FloatBuffer paddedView;
    private final AlignedFloats narrowDst;
    private final FloatBuffer narrowDstView;
    private final boolean transposed;
    /** Bucketed plans: the copy's columns from here on are zero (they held no wider call's input since). */
    private int dirtyTo;
    private AlignedFloats stagedSrc;
    private AlignedFloats stagedDst;
    private FloatBuffer stagedDstView;

    ExecutionContext(Plan plan) {
        try {
            this.plan = plan;
            var eng = plan.engine();
            stream strm = owner.own(new stream(eng));
            this.stream = strm.get();
            memory src = owner.own(new memory(plan.userSrcDesc(), eng, (Pointer) null));
            memory dst = owner.own(new memory(plan.userDstDesc(), eng, (Pointer) null));
            this.userSrc = src.get();
            this.userDst = dst.get();
            dnnl_memory convSrc = userSrc;
            dnnl_memory convDst = userDst;
            boolean int8 = plan.srcScale() != null;
            if (plan.reordersInput()) {
                convSrc = owner.own(new memory(plan.convSrcDesc(), eng)).get();
                dnnl_memory scratch = scratchpad(plan.srcReorderScratchpad());
                srcReorderArgCount = 2 + (scratch != null ? 1 : 0) + (int8 ? 2 : 0);
                srcReorderArgs = owner.own(new dnnl_exec_arg_t(srcReorderArgCount));
                int i = 0;
                set(srcReorderArgs, i++, DNNL_ARG_FROM, userSrc);
                set(srcReorderArgs, i++, DNNL_ARG_TO, convSrc);
                if (scratch != null) {
                    set(srcReorderArgs, i++, DNNL_ARG_SCRATCHPAD, scratch);
                }
                if (int8) { // the quantization of the input
                    set(srcReorderArgs, i++, DNNL_ARG_ATTR_SCALES | DNNL_ARG_DST, plan.srcScale().get());
                    set(srcReorderArgs, i, DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_DST, plan.srcZeroPoint().get());
                }
                srcReorderArgs.position(0);
            } else {
                srcReorderArgs = null;
                srcReorderArgCount = 0;
            }
            if (plan.reordersOutput()) {
                convDst = owner.own(new memory(plan.convDstDesc(), eng)).get();
                dstReorderArgs = args(DNNL_ARG_FROM, convDst, DNNL_ARG_TO, userDst, plan.dstReorderScratchpad());
            } else {
                dstReorderArgs = null;
            }
            dnnl_memory scratch = scratchpad(plan.convScratchpad());
            int n = 3 + (plan.bias() != null ? 1 : 0) + (scratch != null ? 1 : 0) + (int8 ? 3 : 0);
            convArgs = owner.own(new dnnl_exec_arg_t(n));
            int i = 0;
            set(convArgs, i++, DNNL_ARG_SRC, convSrc);
            set(convArgs, i++, DNNL_ARG_WEIGHTS, plan.weights().get());
            set(convArgs, i++, DNNL_ARG_DST, convDst);
            if (plan.bias() != null) {
                set(convArgs, i++, DNNL_ARG_BIAS, plan.bias().get());
            }
            if (scratch != null) {
                set(convArgs, i++, DNNL_ARG_SCRATCHPAD, scratch);
            }
            if (int8) {
                set(convArgs, i++, DNNL_ARG_ATTR_SCALES | DNNL_ARG_SRC, plan.srcScale().get());
                set(convArgs, i++, DNNL_ARG_ATTR_ZERO_POINTS | DNNL_ARG_SRC, plan.srcZeroPoint().get());
                set(convArgs, i, DNNL_ARG_ATTR_SCALES | DNNL_ARG_WEIGHTS, plan.weightScales().get());
            }
            convArgs.position(0);
            convArgCount = n;
            if (plan.edgePadder() != null) {
                padded = new AlignedFloats(plan.lowering().copyElements(), owner);
                paddedView = padded.asBuffer();
            } else {
                padded = null;
                paddedView = null;
            }
            Lowering lw = plan.lowering();
            transposed = lw.isDeconvolution();
            if (lw.bucketed()) {
                dirtyTo = lw.inputCopy().width();
                stagedDst = new AlignedFloats(lw.dstElements(), owner);
                stagedDstView = stagedDst.asBuffer();
            }
            if (plan.biasTail() != null) {
                narrowDst = new AlignedFloats(plan.biasTail().narrowElements(), owner);
                narrowDstView = narrowDst.asBuffer();
            } else {
                narrowDst = null;
                narrowDstView = null;
            }
        } catch (RuntimeException | Error e) { // a shape oneDNN refuses: free what was made
            owner.close();
            throw e;
        }
    }

    private dnnl_memory scratchpad(memory.desc md) {
        return md == null ? null : owner.own(new memory(md, plan.engine())).get();
    }

    private dnnl_exec_arg_t args(int a0, dnnl_memory m0, int a1, dnnl_memory m1, memory.desc scratchDesc) {
        dnnl_memory scratch = scratchpad(scratchDesc);
        dnnl_exec_arg_t args = owner.own(new dnnl_exec_arg_t(argCount(scratchDesc)));
        set(args, 0, a0, m0);
        set(args, 1, a1, m1);
        if (scratch != null) {
            set(args, 2, DNNL_ARG_SCRATCHPAD, scratch);
        }
        args.position(0);
        return args;
    }

    /** A reorder takes FROM and TO, and a scratchpad where it needs one. */
    private static int argCount(memory.desc scratchDesc) {
        return scratchDesc == null ? 2 : 3;
    }

    private static void set(dnnl_exec_arg_t args, int i, int arg, dnnl_memory m) {
        args.position(i).arg(arg).memory(m);
    }

    /**
     * Runs an exact plan on the caller's direct buffers, whose addresses (at their positions) were checked to hold the
     * right number of floats.
     */
    void run(FloatBuffer src, FloatBuffer dst, long srcAddr, long dstAddr, Geometry g) {
        long into = narrowDst != null ? narrowDst.address() : dstAddr;
        if (padded != null) {
            fillExact(src, null, src.position());
            execute(padded.address(), into);
        } else {
            execute(srcAddr, into);
        }
        if (narrowDst != null) {
            plan.biasTail().widen(narrowDstView, dst, dst.position());
        }
    }

    /**
     * Runs a bucketed plan on the caller's buffers from these positions: its batch of samples, which may be a part of
     * the caller's.
     */
    void runBucket(FloatBuffer src, int srcPos, FloatBuffer dst, int dstPos, Geometry g) {
        fillBucket(src, null, srcPos, g);
        execute(padded.address(), stagedDst.address());
        crop(dst, dstPos, g.outWidth());
    }

    /** As {@link #runBucket(FloatBuffer, int, FloatBuffer, int, Geometry)}, on arrays. */
    void runBucket(float[] src, int srcPos, float[] dst, int dstPos, Geometry g) {
        fillBucket(null, src, srcPos, g);
        execute(padded.address(), stagedDst.address());
        crop(dst, dstPos, g.outWidth());
    }

    /** Runs a plan that reads and writes the caller's memory as it lies, at these addresses (a window). */
    void runAt(long srcAddr, long dstAddr) {
        execute(srcAddr, dstAddr);
    }

    private void execute(long srcAddr, long dstAddr) {
        srcAddress.aim(srcAddr);
        dstAddress.aim(dstAddr);
        check(dnnl_memory_set_data_handle(userSrc, srcAddress), "set src");
        check(dnnl_memory_set_data_handle(userDst, dstAddress), "set dst");
        if (srcReorderArgs != null) {
            check(dnnl_primitive_execute(plan.srcReorder(), stream, srcReorderArgCount, srcReorderArgs), "src reorder");
        }
        check(dnnl_primitive_execute(plan.primitive(), stream, convArgCount, convArgs), "convolution");
        if (dstReorderArgs != null) {
            check(dnnl_primitive_execute(plan.dstReorder(), stream, argCount(plan.dstReorderScratchpad()), dstReorderArgs),
                    "dst reorder");
        }
        check(dnnl_stream_wait(stream), "stream wait");
    }

    /** Copies the input as an exact plan's {@link org.conv1d4j.internal.lowering.InputCopy} says. */
    private void fillExact(FloatBuffer src, float[] array, int pos) {
        Lowering lw = plan.lowering();
        int w = lw.inputCopy().width();
        plan.edgePadder().fill(src, array, pos, paddedView, lw.user().inWidth(), lw.inputCopy().left(), w, w);
    }

    /**
     * Copies a call's input into the bucket's copy: padded as the call's geometry says, then zeros up to what an
     * earlier call may have left.
     */
    private void fillBucket(FloatBuffer src, float[] array, int pos, Geometry g) {
        int valid = transposed ? g.inWidth() : g.inWidth() + g.padLeft() + g.padRight();
        int left = transposed ? 0 : g.padLeft();
        plan.edgePadder().fill(src, array, pos, paddedView, g.inWidth(), left, valid, Math.max(valid, dirtyTo));
        dirtyTo = valid;
    }

    /** Copies the first {@code ow} columns of the bucket's output into {@code dst} from {@code pos}. */
    private void crop(FloatBuffer dst, int pos, int ow) {
        Lowering lw = plan.lowering();
        int wide = lw.user().outWidth();
        int channels = lw.spec().outChannels();
        if (lw.spec().layout() == Layout.NCW) {
            for (int row = 0; row < lw.batch() * channels; row++) {
                dst.put(pos + row * ow, stagedDstView, row * wide, ow);
            }
        } else {
            for (int n = 0; n < lw.batch(); n++) {
                dst.put(pos + n * ow * channels, stagedDstView, n * wide * channels, ow * channels);
            }
        }
    }

    /** As {@link #crop(FloatBuffer, int, int)}, into an array. */
    private void crop(float[] dst, int pos, int ow) {
        Lowering lw = plan.lowering();
        int wide = lw.user().outWidth();
        int channels = lw.spec().outChannels();
        if (lw.spec().layout() == Layout.NCW) {
            for (int row = 0; row < lw.batch() * channels; row++) {
                stagedDstView.get(row * wide, dst, pos + row * ow, ow);
            }
        } else {
            for (int n = 0; n < lw.batch(); n++) {
                stagedDstView.get(n * wide * channels, dst, pos + n * ow * channels, ow * channels);
            }
        }
    }

    /** Runs on Java arrays through native staging buffers owned by this context. */
    void run(float[] src, float[] dst, Geometry g) {
        if (stagedDst == null) {
            stagedDst = new AlignedFloats(plan.lowering().dstElements(), owner);
            stagedDstView = stagedDst.asBuffer();
        }
        long into = narrowDst != null ? narrowDst.address() : stagedDst.address();
        if (padded != null) {
            fillExact(null, src, 0);
            execute(padded.address(), into);
        } else {
            if (stagedSrc == null) {
                stagedSrc = new AlignedFloats(plan.lowering().srcElements(), owner);
            }
            stagedSrc.pointer().put(src, 0, src.length);
            execute(stagedSrc.address(), into);
        }
        if (narrowDst != null) {
            plan.biasTail().widen(narrowDstView, stagedDstView, 0);
        }
        stagedDst.pointer().get(dst, 0, dst.length);
    }

    private static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN " + what + " failed with status " + status);
        }
    }

    void close() {
        owner.close();
    }
}
