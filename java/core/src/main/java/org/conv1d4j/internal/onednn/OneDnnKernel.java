package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.engine;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.kernel.LibraryOnly;
import org.conv1d4j.internal.lowering.Buckets;
import org.conv1d4j.internal.lowering.Lowerer;
import org.conv1d4j.internal.lowering.Lowering;
import org.conv1d4j.internal.lowering.Target;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.WidthBuckets;

import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * Runs a Conv1D on oneDNN, as a height-1 2D convolution or through oneDNN's 1D descriptors
 * ({@link org.conv1d4j.internal.lowering.Mapping}). Each (batch, width) is lowered ({@link Lowerer}) and built into
 * a {@link Plan}, cached, or, with width buckets, runs on its bucket's plan ({@link Buckets}); the caller's weights are copied once and reordered into each layout a plan prefers.
 * Primitives use a user scratchpad, one per concurrent execution, so one op can serve many threads.
 */
public final class OneDnnKernel implements Kernel {
    private static final int FLOAT_BYTES = Float.BYTES;

    private final Conv1dSpec spec;
    private final Target target;
    private final engine cpu;
    private final KernelWeights weights;
    private final PlanCache cache;
    private final ThreadCount threadCount;
    private final WidthBuckets buckets;

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
        this.weights = new KernelWeights(spec, target.mapping(), cpu, weights, bias);
        this.buckets = options.widthBuckets();
        this.cache = new PlanCache(this::newPlan, options.cacheCapacity());
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
        ContextPool plan = cache.acquire(batch, Buckets.key(spec, buckets, batch, g), g);
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

    @Override
    public void forward(float[] src, float[] dst, int batch, Geometry g) {
        ContextPool plan = cache.acquire(batch, Buckets.key(spec, buckets, batch, g), g);
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
        ContextPool plan = cache.acquire(batch, Buckets.key(spec, buckets, batch, g), g);
        try {
            plan.give(plan.take());
        } finally {
            cache.release(plan);
        }
    }

    @Override
    public int planKey(int batch, Geometry g) {
        return Buckets.key(spec, buckets, batch, g);
    }

    @Override
    public Optional<PlanReport> report(int batch, Geometry g) {
        ContextPool plan = cache.acquire(batch, Buckets.key(spec, buckets, batch, g), g);
        try {
            return Optional.of(plan.plan().report());
        } finally {
            cache.release(plan);
        }
    }

    private ContextPool newPlan(int batch, int bucket, Geometry g) {
        threadCount.apply();
        Lowering lowering = bucket == Buckets.EXACT ? Lowerer.lower(spec, target, batch, g)
                : Buckets.lower(spec, target, batch, Buckets.geometry(spec, bucket, g));
        try {
            return new ContextPool(new Plan(cpu, lowering, weights), bucket);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // dnnl::error: no implementation, or a buffer it cannot allocate
            throw new IllegalArgumentException("shape: oneDNN cannot run " + spec + " on batch " + batch + ", width "
                    + g.inWidth() + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        cache.close();
        weights.close();
    }
}
