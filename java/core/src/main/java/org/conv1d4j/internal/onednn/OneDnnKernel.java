package org.conv1d4j.internal.onednn;

import org.conv1d4j.nativeconfig.NativeOwner;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.kernel.LibraryOnly;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.nativeconfig.DnnlRuntime;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a Conv1D on oneDNN, as a height-1 2D convolution ({@link Mapping#TWO_D}) or through oneDNN's 1D
 * descriptors ({@link Mapping#ONE_D}). The caller's weights are copied once; each plan reorders them into the
 * layout its primitive prefers (shared between plans that prefer the same one). Primitives use a user
 * scratchpad, one per concurrent execution, so one op can serve many threads.
 */
public final class OneDnnKernel implements Kernel {
    private static final int FLOAT_BYTES = Float.BYTES;

    private final Conv1dSpec spec;
    private final Mapping mapping;
    private final NcwStrategy ncwStrategy;
    private final engine engine;
    private final NativeOwner owner = new NativeOwner();
    private final memory.desc userWeightsDesc;
    private final memory userWeights;
    private final memory bias;
    private final float[] biasValues;
    private final List<memory> preparedWeights = new ArrayList<>();
    private final PlanCache cache;
    private final ThreadCount threadCount;
    private final Precision precision;
    private memory foldedUserWeights;

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
        LibraryOnly.requireApiCaller();
        return new OneDnnKernel(spec, weights, bias, options.engine() == Engine.ONEDNN_1D ? Mapping.ONE_D
                : Mapping.TWO_D, options);
    }

    private OneDnnKernel(Conv1dSpec spec, float[] weights, float[] bias, Mapping mapping, Conv1dOptions options) {
        this.threadCount = new ThreadCount(options.threadsPerCall()); // may reject before anything native exists
        this.precision = options.precision();
        this.spec = spec;
        this.mapping = mapping;
        this.ncwStrategy = options.ncwStrategy();
        this.engine = DnnlRuntime.get().engine();
        var f32 = memory.data_type.f32;
        userWeightsDesc = owner.own(new memory.desc(mapping.weightDims(spec), f32, mapping.weightStrides(spec)));
        userWeights = owner.own(new memory(userWeightsDesc, engine));
        write(userWeights, weights);
        if (bias != null) {
            memory.desc bd = owner.own(new memory.desc(new long[] {spec.outChannels()}, f32, memory.format_tag.a));
            this.bias = owner.own(new memory(bd, engine));
            write(this.bias, bias);
        } else {
            this.bias = null;
        }
        this.biasValues = bias == null ? new float[spec.outChannels()] : bias.clone();
        this.cache = new PlanCache(this, options.cacheCapacity());
    }

    /** @return the bias, zeros where the spec has none */
    float[] biasValues() {
        return biasValues;
    }

    private static void write(memory m, float[] values) {
        try (FloatPointer p = new FloatPointer(m.get_data_handle())) {
            p.put(values, 0, values.length);
        }
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
        Plan plan = cache.acquire(batch, g);
        try {
            ExecutionContext ctx = plan.take();
            try {
                threadCount.apply();
                ctx.run(src, dst, srcAddr, dstAddr);
            } finally {
                plan.give(ctx);
            }
        } finally {
            cache.release(plan);
        }
    }

    @Override
    public void forward(float[] src, float[] dst, int batch, Geometry g) {
        Plan plan = cache.acquire(batch, g);
        try {
            ExecutionContext ctx = plan.take();
            try {
                threadCount.apply();
                ctx.run(src, dst);
            } finally {
                plan.give(ctx);
            }
        } finally {
            cache.release(plan);
        }
    }

    @Override
    public Optional<PlanReport> report(int batch, Geometry g) {
        Plan plan = cache.acquire(batch, g);
        try {
            return Optional.of(plan.report());
        } finally {
            cache.release(plan);
        }
    }

    Plan newPlan(int batch, Geometry g) {
        threadCount.apply();
        int fold = fold(g);
        try {
            return new Plan(this, batch, g, reorderActivations(fold), fold);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) { // dnnl::error: no implementation, or a buffer it cannot allocate
            throw new IllegalArgumentException("shape: oneDNN cannot run " + spec + " on batch " + batch + ", width "
                    + g.inWidth() + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The dilation {@code d} a plan folds into the height, or 1. With stride 1, zero padding handled by oneDNN and
     * {@code W}, {@code L}, {@code R} all multiples of {@code d}, output {@code t = q d + p} reads inputs
     * {@code (q + k) d + p - L}: for each phase {@code p} an undilated conv over {@code q}. So the dilated Conv1D is
     * exactly an undilated 2D conv on the copy-free view {@code (N, C, W/d, d)} (nhwc and nchw alike) with kernel
     * {@code (K, 1)} and padding {@code L/d, R/d} along the height, which reaches oneDNN's undilated kernels
     * (Conv-TasNet's dilated depthwise layer: 0.39 ms folded, 3.6 ms through the dilated path). NWC only: for
     * NCW the folded depthwise layer measured slower (2.3 vs 1.7 ms through the reorder).
     */
    private int fold(Geometry g) {
        int d = spec.dilation();
        if (mapping != Mapping.TWO_D || spec.layout() != Layout.NWC || Mapping.isDeconvolution(spec) || d == 1
                || spec.stride() != 1
                || spec.paddingMode() != PaddingMode.ZEROS || g.padLeft() >= g.effectiveKernel()
                || g.padRight() >= g.effectiveKernel()) {
            return 1;
        }
        return g.inWidth() % d == 0 && g.padLeft() % d == 0 && g.padRight() % d == 0 ? d : 1;
    }

    /**
     * Whether activations go through the primitive's preferred layout: always in bf16, where the reorder also
     * converts the input to bf16; for NWC data, for dilated depthwise layers; for NCW data as the strategy says.
     * {@link NcwStrategy#AUTO} reorders for depthwise convolutions, where the plain {@code nchw} kernels measured
     * up to 8x slower (Conv-TasNet 13.4 vs 1.7 ms), and reads {@code nchw} directly otherwise (S3 31.6 vs 37.6 ms).
     */
    private boolean reorderActivations(int fold) {
        if (precision == Precision.BF16) {
            return true; // the reorders convert the f32 input to bf16
        }
        if (spec.layout() == Layout.NWC) {
            // oneDNN's depthwise kernel reads nhwc directly, but not with dilation: the Conv-TasNet layer (C 512,
            // K 3, dilation 8, W 4000) took 10.8 ms on nhwc and 3.5 ms through the preferred layout; other layers
            // measured the same either way (NcwBenchmark, SuiteBenchmark)
            return spec.isDepthwise() && spec.dilation() > 1 && fold == 1;
        }
        return switch (ncwStrategy) {
            case PLAIN -> false;
            case REORDER -> true;
            case AUTO -> spec.isDepthwise();
        };
    }

    /** The caller's weights in the layout {@code wanted}, reordered once and shared by plans that want it. */
    synchronized memory weightsIn(memory.desc wanted, boolean folded) {
        memory source = folded ? foldedUserWeights() : userWeights;
        try (memory.desc have = source.get_desc()) {
            if (wanted.equals(have)) {
                return source;
            }
        }
        for (memory m : preparedWeights) {
            try (memory.desc have = m.get_desc()) {
                if (have.equals(wanted)) {
                    return m;
                }
            }
        }
        memory m = owner.own(new memory(wanted, engine));
        try (reorder r = new reorder(source, m); stream s = new stream(engine)) {
            r.execute(s, source, m);
            s._wait();
        }
        preparedWeights.add(m);
        return m;
    }

    /** The caller's weights described with the kernel along the height, for folded plans; made on first use. */
    private memory foldedUserWeights() {
        if (foldedUserWeights == null) {
            memory.desc d = owner.own(new memory.desc(Mapping.foldedWeightDims(spec), memory.data_type.f32,
                    Mapping.foldedWeightStrides(spec)));
            foldedUserWeights = owner.own(new memory(d, engine, userWeights.get_data_handle()));
        }
        return foldedUserWeights;
    }

    Conv1dSpec spec() {
        return spec;
    }

    Precision precision() {
        return precision;
    }

    Mapping mapping() {
        return mapping;
    }

    engine engine() {
        return engine;
    }

    memory.desc userWeightsDesc() {
        return userWeightsDesc;
    }

    memory biasMemory() {
        return bias;
    }

    @Override
    public void close() {
        cache.close();
        synchronized (this) {
            owner.close();
            preparedWeights.clear();
        }
    }
}
