package org.conv1d4j.onnx;

import org.conv1d4j.net.WidthExpr;

import java.util.Arrays;

/**
 * A tensor known at load time: float ({@code FLOAT}) or integer ({@code INT64}, {@code INT32}, {@code BOOL}, all
 * held as longs), with its ONNX data type, dims and row-major values. An integer value computed from the shape of
 * a tensor whose batch or width is symbolic is not known: it is held as shape arithmetic over the network's widths
 * and batch ({@link WidthExpr}, {@link #expr(int)}), which ops that move values carry and {@code Add}, {@code Sub},
 * {@code Mul}, {@code Div}, {@code Mod}, {@code Neg}, {@code Min}, {@code Max} compute with; a {@code Pad}'s pads or a
 * {@code Slice}'s bounds so computed are resolved when the network is planned for an (N, W).
 */
final class ConstTensor {
    /** ONNX {@code TensorProto.DataType} numbers. */
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int BOOL = 9;
    /** The most elements one tensor computed at load time may have (16 MiB of floats): no OOM from a tiny file. */
    static final long MAX_FOLDED = 1L << 22;
    /** The most elements all the tensors computed at load time may have together (a file of many such nodes). */
    static final long MAX_FOLDED_TOTAL = 1L << 24;
    /**
     * The most elements a tensor holding shape arithmetic may have: shapes have a handful of values, and each
     * expression computed is an object of its own (no heap exhausted by a small file).
     */
    static final int MAX_SYMBOLIC = 1 << 12;

    final int type;
    final long[] dims;
    final float[] floats;
    /** The integer values; where {@link #exprs} holds an expression, 0. */
    final long[] longs;
    /** For each value not known at load time, its shape arithmetic; null where all are known. */
    private final WidthExpr[] exprs;

    private ConstTensor(int type, long[] dims, float[] floats, long[] longs, WidthExpr[] exprs) {
        this.type = type;
        this.dims = dims;
        this.floats = floats;
        this.longs = longs;
        this.exprs = exprs;
    }

    static ConstTensor ofFloats(long[] dims, float[] values) {
        return new ConstTensor(FLOAT, dims, values, null, null);
    }

    static ConstTensor ofLongs(int type, long[] dims, long[] values) {
        return new ConstTensor(type, dims, null, values, null);
    }

    /**
     * Integer values, each a known number or shape arithmetic; a constant expression becomes its number.
     *
     * @param terms one per element, none null
     */
    static ConstTensor ofTerms(int type, long[] dims, WidthExpr[] terms) {
        long[] l = new long[terms.length];
        WidthExpr[] e = new WidthExpr[terms.length];
        boolean any = false;
        for (int i = 0; i < terms.length; i++) {
            if (terms[i].isConstant()) {
                l[i] = terms[i].constantValue();
            } else {
                e[i] = terms[i];
                any = true;
            }
        }
        return new ConstTensor(type, dims, null, l, any ? e : null);
    }

    /**
     * Integer values, where {@code exprs} holds shape arithmetic (its entries null where the value is known).
     *
     * @param values the known values (0 where an expression is held)
     * @param exprs one per element or null; a constant held there becomes its number
     */
    static ConstTensor ofParts(int type, long[] dims, long[] values, WidthExpr[] exprs) {
        boolean any = false;
        for (int i = 0; exprs != null && i < exprs.length; i++) {
            if (exprs[i] != null && exprs[i].isConstant()) {
                values[i] = exprs[i].constantValue();
                exprs[i] = null;
            }
            any |= exprs[i] != null;
        }
        return new ConstTensor(type, dims, null, values, any ? exprs : null);
    }

    /** @return the shape arithmetic of value {@code i}, or null where it is known */
    WidthExpr expr(int i) {
        return exprs == null ? null : exprs[i];
    }

    /** @return value {@code i} of an integer tensor as an expression (a constant where it is known) */
    WidthExpr term(int i) {
        WidthExpr e = expr(i);
        return e != null ? e : WidthExpr.constant(longs[i]);
    }

    /** @return every value of an integer tensor as an expression */
    WidthExpr[] terms() {
        WidthExpr[] t = new WidthExpr[longs.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = term(i);
        }
        return t;
    }

    boolean isFloat() {
        return type == FLOAT;
    }

    int size() {
        return isFloat() ? floats.length : longs.length;
    }

    int rank() {
        return dims.length;
    }

    boolean known(int i) {
        return expr(i) == null;
    }

    boolean allKnown() {
        return exprs == null;
    }

    double value(int i) {
        return isFloat() ? floats[i] : longs[i];
    }

    /** A tensor of the same type whose element {@code i} is this one's element {@code src[i]}. */
    ConstTensor select(long[] newDims, int[] src) {
        if (isFloat()) {
            float[] f = new float[src.length];
            for (int i = 0; i < src.length; i++) {
                f[i] = floats[src[i]];
            }
            return ofFloats(newDims, f);
        }
        if (exprs == null) {
            long[] l = new long[src.length];
            for (int i = 0; i < src.length; i++) {
                l[i] = longs[src[i]];
            }
            return ofLongs(type, newDims, l);
        }
        long[] l = new long[src.length];
        WidthExpr[] e = new WidthExpr[src.length];
        for (int i = 0; i < src.length; i++) {
            l[i] = longs[src[i]];
            e[i] = exprs[src[i]];
        }
        return ofParts(type, newDims, l, e);
    }

    ConstTensor reshaped(long[] newDims) {
        return new ConstTensor(type, newDims, floats, longs, exprs);
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
            if (n > MAX_FOLDED * 128) {
                return Long.MAX_VALUE;
            }
        }
        return n;
    }

    static int[] strides(long[] dims) {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= (int) dims[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return (isFloat() ? "float" : "int") + Arrays.toString(dims);
    }
}
