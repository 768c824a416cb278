package org.conv1d4j.spec;

/**
 * Which primitive width a call of width {@code w} runs on. oneDNN JIT-compiles a primitive per shape, so a width an
 * op has not seen costs a plan build; with buckets, every width up to a bucket's width runs on that bucket's
 * primitive, fed a zero-tailed copy of the input, and the output is cropped to the caller's width. The values are
 * those of an exact plan (see the README's note on variable widths for which specs are bit-identical). A batch runs
 * in parts whose sizes are powers of two, so that a bucket's plans serve every batch. NCW convs with
 * {@code 4 C_in K <= C_out}, and those of stride 1 with zero padding, {@code C_in >= 16} and {@code K <= 11}, run
 * on no primitive at all under {@link NcwStrategy#AUTO} with buckets ({@link NcwStrategy#GEMM}).
 *
 * <p>The rule: {@link #exact()} maps every width to itself (one primitive per width, no copies). Otherwise widths up
 * to {@code linearUpTo} round up to a multiple of {@code step}, and beyond it each bucket is the previous one grown
 * by at most {@code 1/growthDivisor} of it, rounded up to a multiple of {@code step}: at most
 * {@code step - 1} wasted columns below {@code linearUpTo} and at most {@code 1/growthDivisor} plus one step above.
 *
 * @param step the bucket granularity in columns, at least 1; 0 for {@link #exact()}
 * @param linearUpTo the width up to which buckets are multiples of {@code step}
 * @param growthDivisor beyond {@code linearUpTo} a bucket is at most {@code 1 + 1/growthDivisor} times the previous
 */
public record WidthBuckets(int step, int linearUpTo, int growthDivisor) {
    private static final WidthBuckets EXACT = new WidthBuckets(0, 0, 0);
    private static final WidthBuckets DEFAULT = new WidthBuckets(64, 1024, 8);

    /**
     * Validates.
     *
     * @param step the granularity, 0 (exact) or at least 1
     * @param linearUpTo at least {@code step} (0 when exact)
     * @param growthDivisor at least 1 (0 when exact)
     * @throws IllegalArgumentException naming the component that is wrong
     */
    public WidthBuckets {
        if (step < 0) {
            throw new IllegalArgumentException("step: must be >= 0 (0 for exact), got " + step);
        }
        if (step == 0) {
            if (linearUpTo != 0 || growthDivisor != 0) {
                throw new IllegalArgumentException("step: 0 (exact) takes linearUpTo 0 and growthDivisor 0, got "
                        + linearUpTo + " and " + growthDivisor);
            }
        } else {
            if (linearUpTo < step) {
                throw new IllegalArgumentException("linearUpTo: must be >= step " + step + ", got " + linearUpTo);
            }
            if (growthDivisor < 1) {
                throw new IllegalArgumentException("growthDivisor: must be >= 1, got " + growthDivisor);
            }
        }
    }

    /**
     * One primitive per width, as before buckets existed: no copy, no crop, a plan build per new width.
     *
     * @return the exact rule
     */
    public static WidthBuckets exact() {
        return EXACT;
    }

    /**
     * The default rule: multiples of 64 up to 1024 columns, then steps of at most 12.5 % (rounded up to 64).
     *
     * @return {@code (64, 1024, 8)}
     */
    public static WidthBuckets defaults() {
        return DEFAULT;
    }

    /** @return whether this is {@link #exact()} */
    public boolean isExact() {
        return step == 0;
    }

    /**
     * The bucket of a width: the smallest bucket at least {@code width}, or {@code width} itself for the exact rule
     * or where the bucket would exceed {@code 2^31 - 9}.
     *
     * @param width a positive width
     * @return the bucket width, at least {@code width}
     * @throws IllegalArgumentException when the width is not positive
     */
    public int bucket(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width: must be >= 1, got " + width);
        }
        if (step == 0) {
            return width;
        }
        long b;
        if (width <= linearUpTo) {
            b = roundUp(width);
        } else {
            b = roundUp(linearUpTo);
            while (b < width) {
                b = roundUp(b + Math.max(b / growthDivisor, 1));
            }
        }
        return b > Integer.MAX_VALUE - 8 ? width : (int) b;
    }

    /**
     * The largest bucket at most {@code width}: the rounding down that {@link #bucket(int)} rounds up.
     *
     * @param width a positive width
     * @return the bucket, or 0 where no bucket is that small; {@code width} itself for the exact rule
     * @throws IllegalArgumentException when the width is not positive
     */
    public int floor(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width: must be >= 1, got " + width);
        }
        if (step == 0) {
            return width;
        }
        long linearEnd = roundUp(linearUpTo);
        if (width <= linearEnd) {
            return width / step * step;
        }
        long b = linearEnd;
        for (long next = roundUp(b + Math.max(b / growthDivisor, 1)); next <= width;
             next = roundUp(b + Math.max(b / growthDivisor, 1))) {
            b = next;
        }
        return (int) b;
    }

    /**
     * How many buckets the widths {@code [minWidth, maxWidth]} fall into.
     *
     * @param minWidth the smallest width, at least 1
     * @param maxWidth the largest width, at least {@code minWidth}
     * @return the number of distinct buckets
     * @throws IllegalArgumentException when the range is empty or not positive
     */
    public int count(int minWidth, int maxWidth) {
        if (minWidth < 1 || maxWidth < minWidth) {
            throw new IllegalArgumentException("maxWidth: need 1 <= minWidth <= maxWidth, got [" + minWidth + ", "
                    + maxWidth + "]");
        }
        int n = 0;
        long w = minWidth;
        while (w <= maxWidth) {
            int b = bucket((int) w);
            n++;
            w = (long) b + 1;
        }
        return n;
    }

    private long roundUp(long w) {
        return (w + step - 1) / step * step;
    }

    @Override
    public String toString() {
        return step == 0 ? "exact" : "multiples of " + step + " up to " + linearUpTo + ", then steps of <= 1/"
                + growthDivisor;
    }
}
