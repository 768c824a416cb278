package org.conv1d4j.spec;

/**
 * Padding in TensorFlow / Keras conventions, or explicit {@code [left, right]} as PyTorch.
 * With the effective kernel {@code Ke = dilation*(K-1)+1} and input width {@code W}:
 * <ul>
 *   <li>{@code valid}: no padding;</li>
 *   <li>{@code same}: output {@code ceil(W/stride)}; total padding {@code max((out-1)*stride + Ke - W, 0)},
 *       {@code floor(total/2)} on the left, the rest on the right;</li>
 *   <li>{@code causal}: {@code Ke-1} on the left only (forward conv only);</li>
 *   <li>explicit: {@code left} and {@code right} as given.</li>
 * </ul>
 * For a transposed conv, padding crops the full output instead (see {@link Conv1dSpec#geometry(int)}).
 */
public final class Padding {
    /** The padding kinds. */
    public enum Kind {
        /** No padding. */
        VALID,
        /** Output width {@code ceil(W/stride)} (forward) or {@code W*stride} (transposed). */
        SAME,
        /** All padding on the left, so output {@code t} sees inputs up to {@code t} only. */
        CAUSAL,
        /** {@code [left, right]} as given. */
        EXPLICIT
    }

    /** No padding. */
    public static final Padding VALID = new Padding(Kind.VALID, 0, 0);
    /** Keras {@code same}. */
    public static final Padding SAME = new Padding(Kind.SAME, 0, 0);
    /** Keras {@code causal}. */
    public static final Padding CAUSAL = new Padding(Kind.CAUSAL, 0, 0);

    private final Kind kind;
    private final int left;
    private final int right;

    private Padding(Kind kind, int left, int right) {
        this.kind = kind;
        this.left = left;
        this.right = right;
    }

    /**
     * Explicit padding.
     *
     * @param left positions added before the first input
     * @param right positions added after the last input
     * @return the padding
     * @throws IllegalArgumentException when either side is negative
     */
    public static Padding explicit(int left, int right) {
        if (left < 0 || right < 0) {
            throw new IllegalArgumentException("padding: [left, right] must be >= 0, got [" + left + ", " + right + "]");
        }
        return new Padding(Kind.EXPLICIT, left, right);
    }

    /** @return the kind */
    public Kind kind() {
        return kind;
    }

    /** @return the explicit left padding (0 unless {@link Kind#EXPLICIT}) */
    public int left() {
        return left;
    }

    /** @return the explicit right padding (0 unless {@link Kind#EXPLICIT}) */
    public int right() {
        return right;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Padding p && p.kind == kind && p.left == left && p.right == right;
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + left) * 31 + right;
    }

    @Override
    public String toString() {
        return kind == Kind.EXPLICIT ? "[" + left + ", " + right + "]" : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
