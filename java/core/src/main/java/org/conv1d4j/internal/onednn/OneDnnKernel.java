package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.engine;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.kernel.LibraryOnly;
import org.conv1d4j.internal.lowering.Buckets;
import org.conv1d4j.internal.lowering.GemmRule;
import org.conv1d4j.internal.lowering.Lowerer;
import org.conv1d4j.internal.lowering.Lowering;
import org.conv1d4j.internal.lowering.Mapping;
import org.conv1d4j.internal.lowering.Target;
import org.conv1d4j.internal.quant.QuantizedWeights;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;
import org.conv1d4j.spec.WidthBuckets;

import java.nio.FloatBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a Conv1D on oneDNN, as a height-1 2D convolution or through oneDNN's 1D descriptors
 * ({@link org.conv1d4j.internal.lowering.Mapping}). Each (batch, width) is lowered ({@link Lowerer}) and built into
 * a {@link Plan}, cached, or, with width buckets, runs on its bucket's plans ({@link Buckets}; a batch in parts whose
 * sizes are powers of two, {@link #forwardInParts}); the caller's weights are copied once and reordered into each
 * layout a plan prefers. NCW calls that {@link GemmRule} gives to oneDNN's sgemm run there ({@link NcwGemm}), with no
 * plan. Primitives use a user scratchpad, one per concurrent execution, so one op can serve many threads.
 */
public final class OneDnnKernel implements Kernel {
    private static final int FLOAT_BYTES = Float.BYTES;
    private static final int SEQUENCE_SLOTS = 1024;

    private final Conv1dSpec spec;
    private final Target target;
    private final engine cpu;
    private final KernelWeights weights;
    private final PlanCache cache;
    private final ThreadCount threadCount;
    private final WidthBuckets buckets;
    private final Quantization inputQuantization;
    /** The sgemm path, or {@code null} where every call runs on a primitive. */
    private final NcwGemm gemm;
    /** The outputs of batches run as one sequence, copied out per sample, and of padded sequences' strips. */
    private final IdlePool<GrowingFloats> sequenceOutputs = new IdlePool<>(GrowingFloats::new, GrowingFloats::close);
    /** The inputs of padded sequences' strips. */
    private final IdlePool<GrowingFloats> stripInputs = new IdlePool<>(GrowingFloats::new, GrowingFloats::close);
    /**
     * Sequence geometries, direct-mapped by their width {@code N W}, so that a stream of calls allocates none; a
     * racing call at worst makes one again.
     */
    private final Geometry[] sequences = new Geometry[SEQUENCE_SLOTS];
    private final AtomicLong plansBuilt = new AtomicLong();

    /**
     * Creates a kernel for {@code Conv1d}, which has checked every argument; no one else may call it.
     *
     * @param spec what to compute
     * @param weights in {@code spec.weightLayout()}, already checked to be {@code spec.weightCount()} floats
     * @param bias {@code C_out} floats or {@code null}
     * @param options the engine ({@link Engine#ONEDNN_2D} or {@link Engine#ONEDNN_1D}), NCW strategy, cache capacity,
     *     threads per call and precision
     * @return the kernel
     * @throws IllegalCallerException when called from outside the library's API package
     */
    public static Kernel create(Conv1dSpec spec, float[] weights, float[] bias, Conv1dOptions options) {
        LibraryOnly.requireLibraryCaller();
        return new OneDnnKernel(spec, weights, bias, options);
    }

    private OneDnnKernel(Conv1dSpec spec, float[] weights, float[] bias, Conv1dOptions options) {
        this.threadCount = new ThreadCount(options.threadsPerCall()); // may reject before anything native exists
        this.spec = spec;
        this.target = Target.of(options);
        DnnlRuntime runtime = DnnlRuntime.get();
        EmulationWarning.warnOnce(options.precision(), runtime.effectiveIsa());
        this.cpu = runtime.engine();
        this.inputQuantization = options.inputQuantization();
        this.weights = new KernelWeights(spec, target.mapping(), cpu, weights, bias,
                options.precision() == Precision.INT8 ? QuantizedWeights.of(spec, weights, runtime.effectiveIsa())
                        : null);
        this.buckets = options.widthBuckets();
        this.cache = new PlanCache(this::newPlan, buckets.isExact() ? options.cacheCapacity()
                : Math.max(options.cacheCapacity(), Conv1dOptions.MIN_BUCKETED_CACHE_CAPACITY));
        this.gemm = GemmRule.chosen(spec, options) ? new NcwGemm(spec, weights, bias) : null;
    }

    private boolean onGemm(Geometry g) {
        return gemm != null && GemmRule.fits(spec, g);
    }

    @Override
    public void forward(FloatBuffer src, FloatBuffer dst, int batch, Geometry g) {
        long srcAddr = DirectAddress.of(src) + (long) src.position() * FLOAT_BYTES;
        long dstAddr = DirectAddress.of(dst) + (long) dst.position() * FLOAT_BYTES;
        long srcBytes = (long) batch * spec.inChannels() * g.inWidth() * FLOAT_BYTES;
        long dstBytes = (long) batch * spec.outChannels() * g.outWidth() * FLOAT_BYTES;
        if (srcAddr < dstAddr + dstBytes && dstAddr < srcAddr + srcBytes) {
            throw new IllegalArgumentException("output: overlaps the input; use separate buffers");
        }
        if (onGemm(g)) {
            threadCount.apply();
            gemm.forward(src, srcAddr, dstAddr, batch, g);
            return;
        }
        Geometry sequence = sequence(batch, g);
        if (sequence != null) {
            forwardAsSequence(src, dst, srcAddr, dstAddr, batch, g, sequence);
            return;
        }
        long windows = Buckets.windows(spec, buckets, g);
        if (windows != 0) {
            forwardInWindows(srcAddr, dstAddr, batch, g, windows);
            return;
        }
        int key = Buckets.key(spec, buckets, batch, g);
        if (key != Buckets.EXACT) {
            forwardInParts(src, dst, null, null, batch, key, g);
            return;
        }
        ContextPool plan = cache.acquire(batch, key, 0, g);
        try {
            ExecutionContext ctx = plan.take();
            try {
                threadCount.apply();
                ctx.run(src, dst, srcAddr, dstAddr, g);
            } finally {
                plan.give(ctx);
            }
        } finally {
            cache.release(plan);
        }
    }

    /** @return {@link Buckets#sequence} for the call, its geometry from {@link #sequences} where it was made before */
    private Geometry sequence(int batch, Geometry g) {
        long width = Buckets.sequenceWidth(spec, buckets, batch, g);
        if (width == 0) {
            return null;
        }
        int slot = (int) (width & (SEQUENCE_SLOTS - 1));
        Geometry sequence = sequences[slot];
        if (sequence == null || sequence.inWidth() != width) {
            sequence = Buckets.sequenceGeometry(g, width);
            sequences[slot] = sequence;
        }
        return Buckets.windows(spec, buckets, sequence) != 0 ? sequence : null;
    }

    /**
     * Recomputes the columns of a padded sequence that read a neighbouring sample, on the strip
     * {@link Buckets#stripSegments} describes, and writes them over the sequence's.
     */
    private void fixBoundaries(FloatBuffer src, FloatBuffer dst, int batch, Geometry g) {
        int span = g.effectiveKernel() - 1;
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        int w = g.inWidth();
        int q = Buckets.stripOutWidth(g, batch);
        GrowingFloats strip = stripInputs.take().fit(stripInputFloats(batch, g));
        GrowingFloats fixed = sequenceOutputs.take().fit(stripOutputFloats(batch, g));
        try {
            FloatBuffer in = strip.view();
            int segment = 3 * span;
            for (int s = 0; s < batch - 1; s++) {
                int at = s * segment * cin;
                in.put(at, src, src.position() + ((s + 1) * w - span) * cin, span * cin);
                CallerFloats.zero(in, at + span * cin, span * cin);
                in.put(at + 2 * span * cin, src, src.position() + (s + 1) * w * cin, span * cin);
            }
            ContextPool plan = cache.acquire(1, -q, 0, g);
            try {
                ExecutionContext ctx = plan.take();
                try {
                    ctx.runAt(strip.address(), fixed.address());
                } finally {
                    plan.give(ctx);
                }
            } finally {
                cache.release(plan);
            }
            FloatBuffer out = fixed.view();
            int left = g.padLeft();
            int right = g.padRight();
            for (int s = 0; s < batch - 1; s++) {
                if (right > 0) {
                    dst.put(dst.position() + ((s + 1) * w - right) * cout, out, s * segment * cout, right * cout);
                }
                if (left > 0) {
                    dst.put(dst.position() + (s + 1) * w * cout, out, (s * segment + 2 * span - left) * cout,
                            left * cout);
                }
            }
        } finally {
            stripInputs.give(strip);
            sequenceOutputs.give(fixed);
        }
    }

    /** @return the floats of a padded sequence's strip input, {@code 3 (K - 1) D C_in} per segment */
    private long stripInputFloats(int batch, Geometry g) {
        return (long) (Buckets.stripOutWidth(g, batch) + g.effectiveKernel() - 1) * spec.inChannels();
    }

    /** @return the floats of a padded sequence's strip output */
    private long stripOutputFloats(int batch, Geometry g) {
        return (long) Buckets.stripOutWidth(g, batch) * spec.outChannels();
    }

    /** @return the floats of an unpadded sequence's staged output */
    private long sequenceOutputFloats(Geometry sequence) {
        return (long) sequence.outWidth() * spec.outChannels();
    }

    /**
     * Runs a batch as {@link Buckets#sequence} says: its samples as one sequence, in windows. Padded, the sequence
     * writes {@code dst} in place and {@link #fixBoundaries} rewrites the columns next to each sample boundary;
     * unpadded, it writes a staging buffer, from which each sample's {@code OW} columns are copied into {@code dst}.
     */
    private void forwardAsSequence(FloatBuffer src, FloatBuffer dst, long srcAddr, long dstAddr, int batch,
                                   Geometry g, Geometry sequence) {
        long windows = Buckets.windows(spec, buckets, sequence);
        if (g.padLeft() + g.padRight() != 0) {
            forwardInWindows(srcAddr, dstAddr, 1, sequence, windows);
            fixBoundaries(src, dst, batch, g);
            return;
        }
        int cout = spec.outChannels();
        GrowingFloats out = sequenceOutputs.take().fit(sequenceOutputFloats(sequence));
        try {
            forwardInWindows(srcAddr, out.address(), 1, sequence, windows);
            int sample = g.outWidth() * cout;
            int stride = g.inWidth() * cout;
            FloatBuffer from = out.view();
            for (int n = 0; n < batch; n++) {
                dst.put(dst.position() + n * sample, from, n * stride, sample);
            }
        } finally {
            sequenceOutputs.give(out);
        }
    }

    /**
     * Runs a call as {@link Buckets#windows} says: per sample, the first window from column 0 and the tail window
     * ending at the last output column, both on the caller's buffers.
     */
    private void forwardInWindows(long srcAddr, long dstAddr, int batch, Geometry g, long windows) {
        int q1 = (int) (windows >>> 32);
        int q2 = (int) windows;
        ContextPool first = cache.acquire(1, -q1, Buckets.firstPads(spec, g, windows), g);
        ContextPool tail = null;
        try {
            tail = q2 == 0 ? null : cache.acquire(1, -q2, Buckets.tailRightPad(spec, g), g);
            ExecutionContext a = first.take();
            ExecutionContext b = null;
            try {
                b = tail == null ? null : tail.take();
                threadCount.apply();
                long inSample = (long) spec.inChannels() * g.inWidth() * FLOAT_BYTES;
                long outSample = (long) spec.outChannels() * g.outWidth() * FLOAT_BYTES;
                long srcTail = q2 == 0 ? 0 : (long) Buckets.tailStart(spec, g, q2) * spec.inChannels() * FLOAT_BYTES;
                long dstTail = (long) (g.outWidth() - q2) * spec.outChannels() * FLOAT_BYTES;
                for (int n = 0; n < batch; n++) {
                    long s = srcAddr + n * inSample;
                    long d = dstAddr + n * outSample;
                    a.runAt(s, d);
                    if (b != null) {
                        b.runAt(s + srcTail, d + dstTail);
                    }
                }
            } finally {
                first.give(a);
                if (b != null) {
                    tail.give(b);
                }
            }
        } finally {
            cache.release(first);
            if (tail != null) {
                cache.release(tail);
            }
        }
    }

    /**
     * Runs a bucketed call in parts whose batches are powers of two, largest first (7 = 4 + 2 + 1), so that the
     * plans of a bucket serve every batch up to {@code 2^k - 1} with {@code k} of them instead of one per batch:
     * S1 and S2 in NCW on random batches 1-8 measured 1.00-1.05x the cost of one plan per batch, a plan per sample
     * 1.05-1.34x (README). Reads and writes the buffers from their positions, or the arrays from 0.
     */
    private void forwardInParts(FloatBuffer src, FloatBuffer dst, float[] srcArray, float[] dstArray, int batch,
                                int key, Geometry g) {
        int inSample = spec.inChannels() * g.inWidth(); // the bucket's buffers fit an int, so do these
        int outSample = spec.outChannels() * g.outWidth();
        int srcPos = src == null ? 0 : src.position();
        int dstPos = dst == null ? 0 : dst.position();
        int done = 0;
        for (int part = Integer.highestOneBit(batch); part > 0; part >>>= 1) {
            if ((batch & part) == 0) {
                continue;
            }
            ContextPool plan = cache.acquire(part, key, 0, g);
            try {
                ExecutionContext ctx = plan.take();
                try {
                    threadCount.apply();
                    if (src != null) {
                        ctx.runBucket(src, srcPos + done * inSample, dst, dstPos + done * outSample, g);
                    } else {
                        ctx.runBucket(srcArray, done * inSample, dstArray, done * outSample, g);
                    }
                } finally {
                    plan.give(ctx);
                }
            } finally {
                cache.release(plan);
            }
            done += part;
        }
    }

    @Override
    public void forward(float[] src, float[] dst, int batch, Geometry g) {
        if (onGemm(g)) {
            threadCount.apply();
            gemm.forward(src, dst, batch, g);
            return;
        }
        int key = Buckets.key(spec, buckets, batch, g);
        if (key != Buckets.EXACT) {
            forwardInParts(null, null, src, dst, batch, key, g);
            return;
        }
        ContextPool plan = cache.acquire(batch, key, 0, g);
        try {
            ExecutionContext ctx = plan.take();
            try {
                threadCount.apply();
                ctx.run(src, dst, g);
            } finally {
                plan.give(ctx);
            }
        } finally {
            cache.release(plan);
        }
    }

    @Override
    public void warmUp(int batch, Geometry g) {
        if (onGemm(g)) {
            gemm.reserve(batch, g);
            return;
        }
        Geometry sequence = sequence(batch, g);
        long windows = Buckets.windows(spec, buckets, g);
        if (sequence != null) {
            warmWindows(sequence, Buckets.windows(spec, buckets, sequence));
            if (g.padLeft() + g.padRight() == 0) {
                reserve(sequenceOutputs, sequenceOutputFloats(sequence));
            } else {
                reserve(stripInputs, stripInputFloats(batch, g));
                reserve(sequenceOutputs, stripOutputFloats(batch, g));
                warm(1, -Buckets.stripOutWidth(g, batch), 0, g);
            }
        } else if (windows != 0) {
            warmWindows(g, windows);
        }
        int key = Buckets.key(spec, buckets, batch, g);
        if (key == Buckets.EXACT) {
            warm(batch, key, 0, g);
            return;
        }
        for (int part = Integer.highestOneBit(batch); part > 0; part >>>= 1) {
            if ((batch & part) != 0) {
                warm(part, key, 0, g);
            }
        }
    }

    /** Grows an idle buffer of {@code pool} (made if none is idle) to {@code floats}, for a call to come. */
    private static void reserve(IdlePool<GrowingFloats> pool, long floats) {
        pool.give(pool.take().fit(floats));
    }

    private void warmWindows(Geometry g, long windows) {
        warm(1, (int) -(windows >>> 32), Buckets.firstPads(spec, g, windows), g);
        if ((int) windows != 0) {
            warm(1, -(int) windows, Buckets.tailRightPad(spec, g), g);
        }
    }

    private void warm(int batch, int bucket, long pads, Geometry g) {
        ContextPool plan = cache.acquire(batch, bucket, pads, g);
        try {
            plan.give(plan.take());
        } finally {
            cache.release(plan);
        }
    }

    @Override
    public long plansBuilt() {
        return plansBuilt.get();
    }

    @Override
    public int plansKept() {
        return cache.capacity();
    }

    @Override
    public Optional<PlanReport> report(int batch, Geometry g) {
        if (onGemm(g)) {
            return Optional.of(gemmReport(batch, g));
        }
        Geometry sequence = sequence(batch, g);
        Geometry windowed = sequence != null ? sequence : g;
        long runs = Buckets.windows(spec, buckets, windowed);
        ContextPool plan = runs != 0
                ? cache.acquire(1, (int) -(runs >>> 32), Buckets.firstPads(spec, windowed, runs), windowed)
                : reportedPlan(batch, Buckets.key(spec, buckets, batch, g), g);
        try {
            return Optional.of(plan.plan().report());
        } finally {
            cache.release(plan);
        }
    }

    /** The plan a report describes: the exact one, or a bucket's plan for the call's largest part. */
    private ContextPool reportedPlan(int batch, int key, Geometry g) {
        return cache.acquire(key == Buckets.EXACT ? batch : Integer.highestOneBit(batch), key, 0, g);
    }

    /**
     * What the sgemm path runs, in a plan report's terms: no primitive, no scratchpad; the input counts as reordered
     * where it is copied into columns.
     */
    private PlanReport gemmReport(int batch, Geometry g) {
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        int kw = spec.kernelSize();
        boolean shifted = GemmRule.shifted(spec);
        String weights;
        String read;
        if (shifted) {
            weights = kw + " x [" + cout + ", " + cin + "] row-major, one per tap" + (spec.hasBias() ? ", then the bias"
                    : "");
            read = "[" + cin + ", " + g.inWidth() + "] per sample, read in place, one gemm per tap";
        } else {
            int terms = GemmRule.terms(spec);
            weights = "[" + cout + ", " + terms + "] row-major" + (spec.hasBias() ? ", the bias last" : "");
            read = "[" + g.outWidth() + ", " + terms + "] columns per sample, copied";
        }
        String userWeights = "[" + cout + ", " + cin + ", " + kw + "] " + spec.weightLayout();
        String in = "[" + batch + ", " + cin + ", " + g.inWidth() + "] ncw";
        String out = "[" + batch + ", " + cout + ", " + g.outWidth() + "] ncw";
        return new PlanReport(target.mapping() == Mapping.ONE_D ? Engine.ONEDNN_1D : Engine.ONEDNN_2D,
                "dnnl_sgemm (no primitive)", read, weights, userWeights, out + ", written in place", in, out,
                new long[] {spec.stride()}, new long[] {spec.dilation() - 1L}, new long[] {g.padLeft()},
                new long[] {g.padRight()}, "dnnl_sgemm " + (shifted ? "shifted taps" : "column copy")
                + ", sizes given per call", !shifted, false, 0);
    }

    private ContextPool newPlan(int batch, int bucket, long pads, Geometry g) {
        threadCount.apply();
        plansBuilt.incrementAndGet();
        Lowering lowering;
        if (bucket < 0) {
            lowering = Lowerer.lower(spec, target, batch, Buckets.window(spec, -bucket, (int) (pads >>> 32),
                    (int) pads));
            if (lowering.inputCopy() != null || lowering.biasTail() != 0) {
                throw new IllegalStateException("a window runs on the caller's buffers, not " + lowering);
            }
        } else if (bucket == Buckets.EXACT) {
            lowering = Lowerer.lower(spec, target, batch, g);
        } else {
            lowering = Buckets.lower(spec, target, batch, Buckets.geometry(spec, bucket, g));
        }
        try {
            return new ContextPool(new Plan(cpu, lowering, weights, inputQuantization), bucket, pads);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // dnnl::error: no implementation, or a buffer it cannot allocate
            throw new IllegalArgumentException("shape: oneDNN cannot run " + spec + " on batch " + batch + ", width "
                    + g.inWidth() + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        if (gemm != null) {
            gemm.close();
        }
        sequenceOutputs.close();
        stripInputs.close();
        cache.close();
        weights.close();
    }
}
