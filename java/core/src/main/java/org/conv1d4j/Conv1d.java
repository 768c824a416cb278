package org.conv1d4j;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.WidthBucket;
import org.conv1d4j.spec.WidthBuckets;

import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.internal.lifecycle.CallGuard;
import org.conv1d4j.internal.lowering.Buckets;
import org.conv1d4j.internal.lowering.GemmRule;
import org.conv1d4j.internal.onednn.OneDnnKernel;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.internal.quant.QuantizedWeights;
import org.conv1d4j.internal.reference.ReferenceKernel;
import org.conv1d4j.nativeconfig.DnnlRuntime;

import java.lang.ref.Cleaner;
import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * A Conv1D (or transposed Conv1D) with its weights, ready to run. Thread-safe: one op may be shared by many
 * threads. Native resources are freed by {@link #close()}; an op that is never closed is freed when it becomes
 * unreachable. Calls after close throw {@link IllegalStateException}; close waits for calls in progress.
 *
 * <pre>{@code
 * Conv1dSpec spec = Conv1dSpec.builder(64, 64, 3).padding(Padding.SAME).activation(Activation.RELU).build();
 * try (Conv1d conv = Conv1d.create(spec, weights, bias)) {   // weights (64, 64, 3), bias (64)
 *     float[] y = conv.forward(x, 1, 128);                     // x (1, 64, 128) -> y (1, 64, 128)
 * }
 * }</pre>
 */
public final class Conv1d implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final Conv1dSpec spec;
    private final Conv1dOptions options;
    private final Kernel kernel;
    private final Cleaner.Cleanable cleanable;
    private final CallGuard guard = new CallGuard("this Conv1d is closed");
    /** The most slots {@link #geometries} grows to: widths below this never allocate a geometry twice. */
    private static final int MAX_GEOMETRY_SLOTS = 1 << 16;

    /** The geometry of the last width seen, so that a steady state of one width allocates nothing per call. */
    private volatile Geometry lastGeometry;
    /**
     * Geometries by {@code width} (modulo the length, a power of two that grows with the widths seen up to
     * {@link #MAX_GEOMETRY_SLOTS}), made once a second width is seen, so that a stream of varying widths allocates
     * nothing once each has been seen. Racy on purpose: a geometry is immutable (final fields), and a lost write or
     * a lost slot only costs a recomputation.
     */
    private volatile Geometry[] geometries;

    private Conv1d(Conv1dSpec spec, Conv1dOptions options, Kernel kernel) {
        this.spec = spec;
        this.options = options;
        this.kernel = kernel;
        this.cleanable = CLEANER.register(this, new Release(kernel));
    }

    /**
     * Creates an op on the default engine ({@link Engine#ONEDNN_2D}).
     *
     * @param spec what to compute
     * @param weights in {@code spec.weightLayout()}, {@code spec.weightCount()} floats; copied
     * @param bias {@code C_out} floats, or {@code null} when the spec has no bias; copied
     * @return the op
     * @throws IllegalArgumentException when an argument does not fit the spec
     * @throws org.conv1d4j.nativeconfig.NativeUnavailableException when oneDNN's natives are missing
     */
    public static Conv1d create(Conv1dSpec spec, float[] weights, float[] bias) {
        return create(spec, weights, bias, Conv1dOptions.defaults());
    }

    /**
     * Creates an op on the given engine.
     *
     * @param spec what to compute
     * @param weights in {@code spec.weightLayout()}, {@code spec.weightCount()} floats; copied
     * @param bias {@code C_out} floats, or {@code null} when the spec has no bias; copied
     * @param engine the implementation
     * @return the op
     */
    public static Conv1d create(Conv1dSpec spec, float[] weights, float[] bias, Engine engine) {
        return create(spec, weights, bias, Conv1dOptions.defaults().withEngine(engine));
    }

    /**
     * Creates an op with explicit options.
     *
     * @param spec what to compute
     * @param weights in {@code spec.weightLayout()}, {@code spec.weightCount()} floats; copied
     * @param bias {@code C_out} floats, or {@code null} when the spec has no bias; copied
     * @param options engine and tuning
     * @return the op
     */
    public static Conv1d create(Conv1dSpec spec, float[] weights, float[] bias, Conv1dOptions options) {
        if (spec == null) {
            throw new IllegalArgumentException("spec: must not be null");
        }
        if (options == null) {
            throw new IllegalArgumentException("options: must not be null");
        }
        Checks.weights(spec, weights);
        if (spec.hasBias()) {
            Checks.arrayLength("bias", bias, spec.outChannels());
        } else if (bias != null) {
            throw new IllegalArgumentException("bias: the spec has bias=false but a bias was given");
        }
        if (options.ncwStrategy() == NcwStrategy.GEMM && spec.layout() == Layout.NCW
                && options.engine() != Engine.REFERENCE) {
            String why = GemmRule.unsupported(spec, options.precision());
            if (why != null) {
                throw new IllegalArgumentException("ncwStrategy: GEMM runs float32 forward convs with groups 1 and no"
                        + " activation; this op cannot: " + why + " (use AUTO)");
            }
        }
        Kernel kernel = switch (options.engine()) {
            case REFERENCE -> options.precision() == Precision.INT8
                    ? ReferenceKernel.createInt8(spec, QuantizedWeights.of(spec, weights,
                            DnnlRuntime.get().effectiveIsa()), bias, options.inputQuantization())
                    : ReferenceKernel.create(spec, weights, bias);
            case ONEDNN_2D, ONEDNN_1D -> OneDnnKernel.create(spec, weights, bias, options);
        };
        return new Conv1d(spec, options, kernel);
    }

    /** @return what this op computes */
    public Conv1dSpec spec() {
        return spec;
    }

    /** @return the engine running this op */
    public Engine engine() {
        return options.engine();
    }

    /** @return the options this op was created with */
    public Conv1dOptions options() {
        return options;
    }

    /**
     * The output width for an input width.
     *
     * @param width input width {@code W}
     * @return {@code OW}
     * @throws IllegalArgumentException when the spec cannot take that width
     */
    public int outputWidth(int width) {
        return spec.geometry(width).outWidth();
    }

    /**
     * How many floats an input of {@code (batch, width)} has: {@code batch * C_in * width}.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return the input's length
     * @throws IllegalArgumentException when the spec cannot take that width or the input would not fit an array
     */
    public int inputLength(int batch, int width) {
        Checks.batch(batch);
        spec.geometry(width);
        return Checks.elements("input", batch, spec.inChannels(), width);
    }

    /**
     * How many floats the output of an input of {@code (batch, width)} has: {@code batch * C_out * OW}, the length
     * of the array or buffer window {@link #forward(float[], float[], int, int)} and
     * {@link #forward(FloatBuffer, FloatBuffer, int, int)} write.
     *
     * @param batch {@code N}
     * @param width {@code W}, the input's width
     * @return the output's length
     * @throws IllegalArgumentException when the spec cannot take that width or the output would not fit an array
     */
    public int outputLength(int batch, int width) {
        Checks.batch(batch);
        return Checks.elements("output", batch, spec.outChannels(), spec.geometry(width).outWidth());
    }

    /**
     * Runs on an array and returns a new output array. Allocates the output on every call; a serving loop should
     * use {@link #forward(float[], float[], int, int)} or the buffer overload.
     *
     * <p>A flat array cannot tell batch from width: {@code (batch, width)} and {@code (width, batch)} have the same
     * length, and either is accepted when the spec can take both widths. Pass them in this order.
     *
     * @param input {@code (N, C_in, W)} or {@code (N, W, C_in)} as the spec's layout says, exactly
     *     {@code batch * C_in * width} floats
     * @param batch {@code N}
     * @param width {@code W}
     * @return the output, {@code (N, C_out, OW)} or {@code (N, OW, C_out)}
     * @throws IllegalArgumentException when the sizes do not fit
     * @throws IllegalStateException after {@link #close()}
     */
    public float[] forward(float[] input, int batch, int width) {
        Geometry g = checkInput(input, batch, width);
        float[] output = new float[Checks.elements("output", batch, spec.outChannels(), g.outWidth())];
        run(input, output, batch, g);
        return output;
    }

    /**
     * Runs on an array into a caller-provided array: in a steady state of one (batch, width) it allocates nothing
     * on the Java heap and creates no native objects. The whole output array is written.
     *
     * <p>A flat array cannot tell batch from width: {@code (batch, width)} and {@code (width, batch)} have the same
     * length, and either is accepted when the spec can take both widths. Pass them in this order.
     *
     * @param input {@code (N, C_in, W)} or {@code (N, W, C_in)} as the spec's layout says, exactly
     *     {@link #inputLength(int, int)} floats
     * @param output {@code (N, C_out, OW)} or {@code (N, OW, C_out)}, exactly {@link #outputLength(int, int)} floats;
     *     must not be the input array
     * @param batch {@code N}
     * @param width {@code W}
     * @throws IllegalArgumentException when the sizes do not fit
     * @throws IllegalStateException after {@link #close()}
     */
    public void forward(float[] input, float[] output, int batch, int width) {
        Geometry g = checkInput(input, batch, width);
        Checks.activations("output", output, Checks.elements("output", batch, spec.outChannels(), g.outWidth()),
                spec.layout(), batch, spec.outChannels(), g.outWidth());
        if (output == input) {
            throw new IllegalArgumentException("output: is the input array; use separate arrays");
        }
        run(input, output, batch, g);
    }

    /** Checks batch, width and the input array, in that order; returns the geometry of the width. */
    private Geometry checkInput(float[] input, int batch, int width) {
        Checks.batch(batch);
        Geometry g = geometry(width);
        Checks.activations("input", input, Checks.elements("input", batch, spec.inChannels(), width), spec.layout(),
                batch, spec.inChannels(), width);
        Checks.paddedInput(spec, batch, g);
        return g;
    }

    private void run(float[] input, float[] output, int batch, Geometry g) {
        guard.enter();
        try {
            kernel.forward(input, output, batch, g);
        } finally {
            guard.exit();
        }
    }

    /**
     * Runs on caller-provided direct buffers with no copy. Reads {@link #inputLength(int, int)} floats from
     * {@code input.position()} and writes {@link #outputLength(int, int)} floats from {@code output.position()};
     * the positions are not changed. The buffers must be direct, in native byte order, and must not overlap
     * ({@link DirectBuffers#allocate(int)} makes suitable ones). A buffer just filled by relative {@code put}s has
     * its position at its end: {@code flip()} or {@code rewind()} it first.
     *
     * <p>A flat buffer cannot tell batch from width; pass them in this order.
     *
     * @param input the input, in the spec's layout
     * @param output the output, in the spec's layout
     * @param batch {@code N}
     * @param width {@code W}
     * @throws IllegalArgumentException when a buffer does not fit
     * @throws IllegalStateException after {@link #close()}
     */
    public void forward(FloatBuffer input, FloatBuffer output, int batch, int width) {
        Checks.batch(batch);
        Geometry g = geometry(width);
        int in = Checks.elements("input", batch, spec.inChannels(), width);
        int out = Checks.elements("output", batch, spec.outChannels(), g.outWidth());
        Checks.paddedInput(spec, batch, g);
        Checks.buffer("input", input, in, false);
        Checks.buffer("output", output, out, true);
        guard.enter();
        try {
            kernel.forward(input, output, batch, g);
        } finally {
            guard.exit();
        }
    }

    /**
     * What oneDNN runs for an input of (batch, width): descriptors, arrays and the implementation it chose. The
     * primitive is built (and cached) if it does not exist yet.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return the plan, or empty for the reference engine
     * @throws IllegalStateException after {@link #close()}
     */
    public Optional<PlanReport> describe(int batch, int width) {
        Checks.batch(batch);
        Geometry g = geometry(width);
        Checks.elements("input", batch, spec.inChannels(), width);
        Checks.elements("output", batch, spec.outChannels(), g.outWidth());
        Checks.paddedInput(spec, batch, g);
        guard.enter();
        try {
            return kernel.report(batch, g);
        } finally {
            guard.exit();
        }
    }

    /**
     * Builds, ahead of traffic, every plan that inputs of {@code batch} and widths in {@code [minWidth, maxWidth]}
     * run on, so that no call in that range pays a plan build: with {@link WidthBuckets} these are the few buckets
     * of the range (and the windows of NWC convs); with exact widths, one plan per width. Nothing happens for the
     * reference engine.
     *
     * @param batch {@code N}
     * @param minWidth the smallest width, one the spec can take
     * @param maxWidth the largest width, at least {@code minWidth}
     * @return how many plans were built (0 where all existed already)
     * @throws IllegalArgumentException when a width is not one the spec can take, or the range needs more plans
     *     than the op's {@link Conv1dOptions#cacheCapacity()} keeps
     * @throws IllegalStateException after {@link #close()}
     */
    public int warmUp(int batch, int minWidth, int maxWidth) {
        Checks.batch(batch);
        if (maxWidth < minWidth) {
            throw new IllegalArgumentException("maxWidth: must be >= minWidth " + minWidth + ", got " + maxWidth);
        }
        checkedGeometry(batch, minWidth);
        checkedGeometry(batch, maxWidth);
        guard.enter();
        try {
            long before = kernel.plansBuilt();
            for (int w = minWidth; w <= maxWidth; w++) {
                kernel.warmUp(batch, checkedGeometry(batch, w));
            }
            long built = kernel.plansBuilt() - before;
            if (built > kernel.plansKept()) {
                throw new IllegalArgumentException("maxWidth: widths [" + minWidth + ", " + maxWidth + "] run on "
                        + built + " plans, more than the op keeps (" + kernel.plansKept()
                        + "); raise cacheCapacity or use width buckets");
            }
            return (int) built;
        } finally {
            guard.exit();
        }
    }

    /**
     * Where an input width runs under this op's {@link Conv1dOptions#widthBuckets()} on the direct-buffer overload:
     * the bucket's primitive widths and the wasted output columns. Pure Java: builds nothing.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return the bucket (exact for the reference engine, which has no primitive)
     * @throws IllegalArgumentException when the spec cannot take that width
     */
    public WidthBucket bucket(int batch, int width) {
        Geometry g = checkedGeometry(batch, width);
        if (GemmRule.chosen(spec, options) && GemmRule.fits(spec, g)) {
            return WidthBucket.onGemm(width, g.outWidth());
        }
        WidthBuckets rule = options.engine() == Engine.REFERENCE ? WidthBuckets.exact() : options.widthBuckets();
        Geometry sequence = Buckets.sequence(spec, rule, batch, g);
        if (sequence != null) {
            long runs = Buckets.windows(spec, rule, sequence);
            int strip = g.padLeft() + g.padRight() == 0 ? 0 : Buckets.stripOutWidth(g, batch);
            return WidthBucket.inSequence(width, g.outWidth(), batch, (int) (runs >>> 32), (int) runs, strip);
        }
        long windows = Buckets.windows(spec, rule, g);
        if (windows != 0) {
            int q1 = (int) (windows >>> 32);
            int q2 = (int) windows;
            return new WidthBucket(width, g.outWidth(), true, width, q1 + q2, q1, q2);
        }
        int key = Buckets.key(spec, rule, batch, g);
        if (key == Buckets.EXACT) {
            return new WidthBucket(width, g.outWidth(), false, width, g.outWidth(), 0, 0);
        }
        return new WidthBucket(width, g.outWidth(), true, key, Buckets.geometry(spec, key, g).outWidth(), 0, 0);
    }

    private Geometry checkedGeometry(int batch, int width) {
        Geometry g = spec.geometry(width);
        Checks.elements("input", batch, spec.inChannels(), width);
        Checks.elements("output", batch, spec.outChannels(), g.outWidth());
        Checks.paddedInput(spec, batch, g);
        return g;
    }

    private Geometry geometry(int width) {
        Geometry g = lastGeometry;
        if (g != null && g.inWidth() == width) {
            return g;
        }
        Geometry[] slots = geometries;
        if (g != null && (slots == null || (width >= slots.length && slots.length < MAX_GEOMETRY_SLOTS))) {
            Geometry[] grown = new Geometry[width >= MAX_GEOMETRY_SLOTS / 2 ? MAX_GEOMETRY_SLOTS
                    : Integer.highestOneBit(Math.max(width, 1023)) << 1];
            if (slots != null) {
                for (Geometry old : slots) {
                    if (old != null) {
                        grown[old.inWidth() & (grown.length - 1)] = old;
                    }
                }
            }
            slots = grown;
            geometries = slots;
        }
        int slot = slots == null ? 0 : width & (slots.length - 1);
        g = slots == null ? null : slots[slot];
        if (g == null || g.inWidth() != width) {
            g = spec.geometry(width);
            if (slots != null) {
                slots[slot] = g;
            }
        }
        lastGeometry = g;
        return g;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Frees the native resources after the calls in progress have returned. Closing twice does nothing.
     */
    @Override
    public void close() {
        guard.close(cleanable::clean);
    }

    @Override
    public String toString() {
        return "Conv1d[" + options.engine().cliName() + ", " + spec + (guard.isClosed() ? ", closed]" : "]");
    }

    /** Frees a kernel; holds no reference to the op, so the op can become unreachable. */
    private static final class Release implements Runnable {
        private final Kernel kernel;

        Release(Kernel kernel) {
            this.kernel = kernel;
        }

        @Override
        public void run() {
            kernel.close();
        }
    }
}
