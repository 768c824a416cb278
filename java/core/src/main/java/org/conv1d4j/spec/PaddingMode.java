package org.conv1d4j.spec;

import java.util.Locale;

/** How the padded positions of a forward conv are filled, as PyTorch's {@code padding_mode}. */
public enum PaddingMode {
    /** Zeros (the default, and the only mode Keras has). */
    ZEROS,
    /** Mirror without repeating the edge: {@code [a b c] -> b [a b c] b}; padding must be smaller than the width. */
    REFLECT,
    /** Repeat the edge value. */
    REPLICATE,
    /** Wrap around; padding must not exceed the width. */
    CIRCULAR;

    /**
     * Where padded position {@code i} reads from, as PyTorch's {@code F.pad}: {@code i} in {@code [0, width)} is
     * the input itself; outside it, this mode's rule.
     *
     * @param i the position relative to the first input, negative on the left
     * @param width the input width
     * @return the input index in {@code [0, width)}, or -1 where the value is zero
     */
    public int sourceIndex(int i, int width) {
        if (i >= 0 && i < width) {
            return i;
        }
        return switch (this) {
            case ZEROS -> -1;
            case REPLICATE -> i < 0 ? 0 : width - 1;
            case REFLECT -> i < 0 ? -i : 2 * (width - 1) - i;
            case CIRCULAR -> Math.floorMod(i, width);
        };
    }

    /**
     * Parses the PyTorch name.
     *
     * @param name {@code zeros}, {@code reflect}, {@code replicate} or {@code circular}
     * @return the mode
     * @throws IllegalArgumentException for any other name
     */
    public static PaddingMode fromName(String name) {
        for (PaddingMode m : values()) {
            if (m.name().toLowerCase(Locale.ROOT).equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("padding_mode: unknown '" + name
                + "' (expected zeros, reflect, replicate or circular)");
    }
}
