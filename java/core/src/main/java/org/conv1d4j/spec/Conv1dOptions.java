package org.conv1d4j.spec;

/**
 * How an op runs, beyond what it computes.
 *
 * @param engine the implementation
 * @param ncwStrategy how a oneDNN engine handles {@link Layout#NCW} data
 * @param cacheCapacity how many (batch, width) primitives an op keeps, at least 1 (with width buckets at least
 *     {@value #MIN_BUCKETED_CACHE_CAPACITY} whatever this says)
 * @param threadsPerCall OpenMP threads one call of a oneDNN engine uses: 0 (the default, latency mode) for every
 *     thread OpenMP has ({@code OMP_NUM_THREADS}, else the cores); 1 for throughput mode, where many Java threads
 *     call at once and each call stays on its own core instead of oversubscribing them
 * @param precision what a oneDNN engine computes in ({@link Precision#F32} by default)
 * @param widthBuckets which primitive width a call's width runs on ({@link WidthBuckets#exact()} by default: one
 *     primitive per width)
 * @param inputQuantization how an {@link Precision#INT8} op quantizes its input (from {@link Calibration#of}); required
 *     with int8, {@code null} otherwise
 */
public record Conv1dOptions(Engine engine, NcwStrategy ncwStrategy, int cacheCapacity, int threadsPerCall,
                             Precision precision, WidthBuckets widthBuckets, Quantization inputQuantization) {
    /** The default number of (batch, width) primitives an op keeps. */
    public static final int DEFAULT_CACHE_CAPACITY = 16;
    /** How many plans an op with width buckets keeps at least: a bucket's plans are few but not one per width. */
    public static final int MIN_BUCKETED_CACHE_CAPACITY = 64;

    /**
     * Validates.
     *
     * @param engine the implementation
     * @param ncwStrategy how a oneDNN engine handles {@link Layout#NCW} data
     * @param cacheCapacity how many (batch, width) primitives an op keeps, at least 1
     * @param threadsPerCall OpenMP threads per call, 0 (all) or 1..1024
     * @param precision what a oneDNN engine computes in
     * @param widthBuckets which primitive width a call's width runs on
     * @param inputQuantization the input's int8 quantization: required with {@link Precision#INT8}, else null
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public Conv1dOptions {
        nonNull("engine", engine);
        nonNull("ncwStrategy", ncwStrategy);
        nonNull("precision", precision);
        nonNull("widthBuckets", widthBuckets);
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("cacheCapacity: must be >= 1, got " + cacheCapacity);
        }
        if (threadsPerCall < 0 || threadsPerCall > 1024) {
            throw new IllegalArgumentException("threadsPerCall: must be 0 (all) or 1..1024, got " + threadsPerCall);
        }
        if (precision == Precision.INT8 && inputQuantization == null) {
            throw new IllegalArgumentException("inputQuantization: int8 needs the input's quantization, e.g. "
                    + "withInputQuantization(Calibration.minMax().of(samples))");
        }
        if (precision != Precision.INT8 && inputQuantization != null) {
            throw new IllegalArgumentException("inputQuantization: only an int8 op quantizes its input; the precision "
                    + "is " + precision);
        }
    }

    /**
     * Options without int8.
     *
     * @param engine the implementation
     * @param ncwStrategy how a oneDNN engine handles {@link Layout#NCW} data
     * @param cacheCapacity how many (batch, width) primitives an op keeps, at least 1
     * @param threadsPerCall OpenMP threads per call, 0 (all) or 1..1024
     * @param precision what a oneDNN engine computes in, float32 or bf16
     * @param widthBuckets which primitive width a call's width runs on
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public Conv1dOptions(Engine engine, NcwStrategy ncwStrategy, int cacheCapacity, int threadsPerCall,
                         Precision precision, WidthBuckets widthBuckets) {
        this(engine, ncwStrategy, cacheCapacity, threadsPerCall, precision, widthBuckets, null);
    }

    /**
     * Options with exact widths ({@link WidthBuckets#exact()}), as before width buckets existed.
     *
     * @param engine the implementation
     * @param ncwStrategy how a oneDNN engine handles {@link Layout#NCW} data
     * @param cacheCapacity how many (batch, width) primitives an op keeps, at least 1
     * @param threadsPerCall OpenMP threads per call, 0 (all) or 1..1024
     * @param precision what a oneDNN engine computes in
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public Conv1dOptions(Engine engine, NcwStrategy ncwStrategy, int cacheCapacity, int threadsPerCall,
                         Precision precision) {
        this(engine, ncwStrategy, cacheCapacity, threadsPerCall, precision, WidthBuckets.exact());
    }

    /**
     * The defaults.
     *
     * @return oneDNN 2D, {@link NcwStrategy#AUTO}, {@value #DEFAULT_CACHE_CAPACITY} primitives, latency mode, float32,
     *     exact widths
     */
    public static Conv1dOptions defaults() {
        return new Conv1dOptions(Engine.ONEDNN_2D, NcwStrategy.AUTO, DEFAULT_CACHE_CAPACITY, 0, Precision.F32,
                WidthBuckets.exact());
    }

    /**
     * A copy with another engine.
     *
     * @param e the engine
     * @return a copy with that engine
     */
    public Conv1dOptions withEngine(Engine e) {
        return new Conv1dOptions(e, ncwStrategy, cacheCapacity, threadsPerCall, precision, widthBuckets,
                inputQuantization);
    }

    /**
     * A copy with another NCW strategy.
     *
     * @param s the strategy
     * @return a copy with that NCW strategy
     */
    public Conv1dOptions withNcwStrategy(NcwStrategy s) {
        return new Conv1dOptions(engine, s, cacheCapacity, threadsPerCall, precision, widthBuckets,
                inputQuantization);
    }

    /**
     * A copy with another primitive cache capacity.
     *
     * @param c the capacity, at least 1
     * @return a copy with that cache capacity
     */
    public Conv1dOptions withCacheCapacity(int c) {
        return new Conv1dOptions(engine, ncwStrategy, c, threadsPerCall, precision, widthBuckets,
                inputQuantization);
    }

    /**
     * A copy with another thread count per call.
     *
     * @param n 0 for every OpenMP thread (latency), 1 for one core per call (throughput), or another count
     * @return a copy with that many threads per call
     */
    public Conv1dOptions withThreadsPerCall(int n) {
        return new Conv1dOptions(engine, ncwStrategy, cacheCapacity, n, precision, widthBuckets, inputQuantization);
    }

    /**
     * A copy computing in another precision.
     *
     * @param p the precision
     * @return a copy computing in that precision
     */
    public Conv1dOptions withPrecision(Precision p) {
        return new Conv1dOptions(engine, ncwStrategy, cacheCapacity, threadsPerCall, p, widthBuckets,
                p == Precision.INT8 ? inputQuantization : null);
    }

    /**
     * A copy computing in int8 with this input quantization.
     *
     * @param q how the input is quantized, e.g. {@code Calibration.minMax().of(samples)}
     * @return a copy computing in {@link Precision#INT8}
     * @throws IllegalArgumentException when {@code q} is null
     */
    public Conv1dOptions withInt8(Quantization q) {
        nonNull("q", q);
        return new Conv1dOptions(engine, ncwStrategy, cacheCapacity, threadsPerCall, Precision.INT8, widthBuckets, q);
    }

    /**
     * A copy with another width bucket rule.
     *
     * @param b the rule: {@link WidthBuckets#exact()}, {@link WidthBuckets#defaults()} or another
     * @return a copy running each width on its bucket's primitive
     */
    public Conv1dOptions withWidthBuckets(WidthBuckets b) {
        return new Conv1dOptions(engine, ncwStrategy, cacheCapacity, threadsPerCall, precision, b, inputQuantization);
    }

    private static void nonNull(String name, Object v) {
        if (v == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
    }
}
