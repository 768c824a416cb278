package org.conv1d4j.spark;

import org.conv1d4j.spec.Layout;
import scala.collection.Seq;
import scala.collection.mutable.ArraySeq;

/**
 * One row's signal as the network reads it: {@code C x width} floats in the network's layout.
 *
 * @param values {@code C * width} floats, {@code (C, W)} for {@link Layout#NCW}, {@code (W, C)} for {@link Layout#NWC}
 * @param width {@code W}
 */
@SuppressWarnings("ArrayRecordComponent") // one row's data on its way to the net, never compared
record Signal(float[] values, int width) {

    /**
     * Reads a column value: {@code array<float|double>} holding {@code C * W} values in {@code layout}, or
     * {@code array<array<float|double>>} holding {@code C} arrays of {@code W} ({@code NCW}) or {@code W} arrays of
     * {@code C} ({@code NWC}). Doubles are rounded to float.
     *
     * @param value the column's value: a Scala {@link Seq} of boxed numbers or of such sequences (what a
     *     {@link org.apache.spark.sql.Row} or a UDF gives), or a {@code float[]}, {@code double[]} or an array of
     *     them (what {@link PrimitiveRows} gives)
     * @param channels the network's {@code C}
     * @param layout how the values are ordered
     * @return the signal
     * @throws InvalidSignalException naming what is wrong: null, shape, null element, NaN or infinity
     */
    static Signal read(Object value, int channels, Layout layout) {
        if (value == null) {
            throw new InvalidSignalException("the signal is null");
        }
        int n = length(value, -1);
        if (n == 0) {
            throw new InvalidSignalException("the signal is empty");
        }
        Object first = element(value, 0);
        if (first instanceof Seq<?> || first instanceof float[] || first instanceof double[]) {
            return nested(value, n, channels, layout);
        }
        if (n % channels != 0) {
            throw new InvalidSignalException("its " + n + " values are not C x W for the model's C = " + channels);
        }
        return new Signal(floats(value, -1), n / channels);
    }

    private static Signal nested(Object outer, int rows, int channels, Layout layout) {
        if (layout == Layout.NCW && rows != channels) {
            throw new InvalidSignalException("it has " + rows + " channels, the model takes C = " + channels);
        }
        int cols = -1;
        float[] v = null;
        for (int r = 0; r < rows; r++) {
            Object inner = element(outer, r);
            if (inner == null) {
                throw new InvalidSignalException("its element [" + r + "] is null");
            }
            int len = length(inner, r);
            if (cols < 0) {
                cols = len;
                if (cols == 0) {
                    throw new InvalidSignalException("its element [0] is empty");
                }
                if (layout == Layout.NWC && cols != channels) {
                    throw new InvalidSignalException("its element [0] has " + cols + " channels, the model takes C = "
                            + channels);
                }
                v = new float[rows * cols];
            } else if (len != cols) {
                throw new InvalidSignalException("its element [" + r + "] has " + len + " values, [0] has " + cols);
            }
            System.arraycopy(floats(inner, r), 0, v, r * cols, cols);
        }
        return new Signal(v, layout == Layout.NCW ? cols : rows);
    }

    private static int length(Object array, int at) {
        if (array instanceof float[] f) {
            return f.length;
        }
        if (array instanceof double[] d) {
            return d.length;
        }
        if (array instanceof Object[] o) {
            return o.length;
        }
        if (array instanceof Seq<?> s) {
            return s.length();
        }
        throw new InvalidSignalException((at < 0 ? "the signal" : "its element [" + at + "]") + " is a "
                + array.getClass().getName() + ", not an array");
    }

    private static Object element(Object array, int i) {
        if (array instanceof float[] f) {
            return f[i];
        }
        if (array instanceof double[] d) {
            return d[i];
        }
        return array instanceof Object[] o ? o[i] : ((Seq<?>) array).apply(i);
    }

    /** A one-dimensional array as finite floats; {@code outer} is its index in a nested signal, -1 for a flat one. */
    private static float[] floats(Object array, int outer) {
        if (array instanceof float[] f) {
            for (int i = 0; i < f.length; i++) {
                finite(f[i], f[i], outer, i);
            }
            return f;
        }
        if (array instanceof double[] d) {
            float[] v = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                v[i] = finite((float) d[i], d[i], outer, i);
            }
            return v;
        }
        // A Row's array<float> is an ArraySeq.ofRef of boxed floats: walk its Object[] rather than call apply(i).
        Object[] boxed = array instanceof ArraySeq.ofRef<?> a ? a.array() : boxed((Seq<?>) array);
        float[] v = new float[boxed.length];
        for (int i = 0; i < v.length; i++) {
            if (!(boxed[i] instanceof Number num)) {
                throw new InvalidSignalException((boxed[i] == null ? "null" : "not a number") + " at "
                        + where(outer, i));
            }
            v[i] = finite(num.floatValue(), num.doubleValue(), outer, i);
        }
        return v;
    }

    private static Object[] boxed(Seq<?> s) {
        Object[] o = new Object[s.length()];
        for (int i = 0; i < o.length; i++) {
            o[i] = s.apply(i);
        }
        return o;
    }

    /** Builds no string unless it throws. */
    private static float finite(float f, double given, int outer, int inner) {
        if (!Float.isFinite(f)) {
            throw new InvalidSignalException((Float.isNaN(f) ? "NaN" : "infinity") + " at " + where(outer, inner)
                    + (Double.isFinite(given) ? " (the double " + given + " overflows float)" : ""));
        }
        return f;
    }

    private static String where(int outer, int inner) {
        return (outer < 0 ? "" : "[" + outer + "]") + "[" + inner + "]";
    }
}
