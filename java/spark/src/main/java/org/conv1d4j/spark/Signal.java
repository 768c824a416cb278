package org.conv1d4j.spark;

import org.conv1d4j.spec.Layout;
import scala.collection.Seq;

/**
 * One row's signal as the network reads it: {@code C x width} floats in the network's layout.
 *
 * @param values {@code C * width} floats, {@code (C, W)} for {@link Layout#NCW}, {@code (W, C)} for {@link Layout#NWC}
 * @param width {@code W}
 */
record Signal(float[] values, int width) {

    /**
     * Reads a column value: {@code array<float|double>} holding {@code C * W} values in {@code layout}, or
     * {@code array<array<float|double>>} holding {@code C} arrays of {@code W} ({@code NCW}) or {@code W} arrays of
     * {@code C} ({@code NWC}). Doubles are rounded to float.
     *
     * @param value the column's value as a {@link org.apache.spark.sql.Row} or a UDF gives it (a Scala {@link Seq})
     * @param channels the network's {@code C}
     * @param layout how the values are ordered
     * @return the signal
     * @throws InvalidSignalException naming what is wrong: null, shape, null element, NaN or infinity
     */
    static Signal read(Object value, int channels, Layout layout) {
        if (value == null) {
            throw new InvalidSignalException("the signal is null");
        }
        if (!(value instanceof Seq<?> outer)) {
            throw new InvalidSignalException("the signal is a " + value.getClass().getName() + ", not an array");
        }
        int n = outer.length();
        if (n == 0) {
            throw new InvalidSignalException("the signal is empty");
        }
        return outer.apply(0) instanceof Seq<?> ? nested(outer, channels, layout) : flat(outer, channels);
    }

    private static Signal flat(Seq<?> s, int channels) {
        int n = s.length();
        if (n % channels != 0) {
            throw new InvalidSignalException("its " + n + " values are not C x W for the model's C = " + channels);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = element(s.apply(i), -1, i);
        }
        return new Signal(v, n / channels);
    }

    private static Signal nested(Seq<?> outer, int channels, Layout layout) {
        int rows = outer.length();
        if (layout == Layout.NCW && rows != channels) {
            throw new InvalidSignalException("it has " + rows + " channels, the model takes C = " + channels);
        }
        int cols = -1;
        float[] v = null;
        for (int r = 0; r < rows; r++) {
            if (!(outer.apply(r) instanceof Seq<?> inner)) {
                throw new InvalidSignalException("its element [" + r + "] is " + (outer.apply(r) == null ? "null"
                        : "not an array"));
            }
            if (cols < 0) {
                cols = inner.length();
                if (cols == 0) {
                    throw new InvalidSignalException("its element [0] is empty");
                }
                if (layout == Layout.NWC && cols != channels) {
                    throw new InvalidSignalException("its element [0] has " + cols + " channels, the model takes C = "
                            + channels);
                }
                v = new float[rows * cols];
            } else if (inner.length() != cols) {
                throw new InvalidSignalException("its element [" + r + "] has " + inner.length() + " values, [0] has "
                        + cols);
            }
            for (int c = 0; c < cols; c++) {
                v[r * cols + c] = element(inner.apply(c), r, c);
            }
        }
        return new Signal(v, layout == Layout.NCW ? cols : rows);
    }

    /** An element as float; {@code outer} is -1 for a flat signal. Builds no string unless it throws. */
    private static float element(Object e, int outer, int inner) {
        if (!(e instanceof Number num)) {
            throw new InvalidSignalException((e == null ? "null" : "not a number") + " at " + where(outer, inner));
        }
        float f = num.floatValue();
        if (!Float.isFinite(f)) {
            throw new InvalidSignalException((Float.isNaN(f) ? "NaN" : "infinity") + " at " + where(outer, inner)
                    + (Double.isFinite(num.doubleValue()) ? " (the double " + num + " overflows float)" : ""));
        }
        return f;
    }

    private static String where(int outer, int inner) {
        return (outer < 0 ? "" : "[" + outer + "]") + "[" + inner + "]";
    }
}
