package org.conv1d4j;

import java.util.Objects;

/**
 * How an op runs, beyond what it computes.
 *
 * @param engine the implementation
 * @param ncwStrategy how a oneDNN engine handles {@link Layout#NCW} data
 * @param cacheCapacity how many (batch, width) primitives an op keeps, at least 1
 */
public record Conv1dOptions(Engine engine, NcwStrategy ncwStrategy, int cacheCapacity) {
    /** The default number of (batch, width) primitives an op keeps. */
    public static final int DEFAULT_CACHE_CAPACITY = 16;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the option that is wrong
     */
    public Conv1dOptions {
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(ncwStrategy, "ncwStrategy");
        if (cacheCapacity < 1) {
            throw new IllegalArgumentException("cacheCapacity: must be >= 1, got " + cacheCapacity);
        }
    }

    /** @return oneDNN 2D, {@link NcwStrategy#AUTO}, {@value #DEFAULT_CACHE_CAPACITY} primitives */
    public static Conv1dOptions defaults() {
        return new Conv1dOptions(Engine.ONEDNN_2D, NcwStrategy.AUTO, DEFAULT_CACHE_CAPACITY);
    }

    /** @param e the engine @return a copy with that engine */
    public Conv1dOptions withEngine(Engine e) {
        return new Conv1dOptions(e, ncwStrategy, cacheCapacity);
    }

    /** @param s the strategy @return a copy with that NCW strategy */
    public Conv1dOptions withNcwStrategy(NcwStrategy s) {
        return new Conv1dOptions(engine, s, cacheCapacity);
    }

    /** @param c the capacity @return a copy with that cache capacity */
    public Conv1dOptions withCacheCapacity(int c) {
        return new Conv1dOptions(engine, ncwStrategy, c);
    }
}
