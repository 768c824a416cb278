package org.conv1d4j.onnx;

import java.util.Arrays;

/**
 * A tensor known at load time: float ({@code FLOAT}) or integer ({@code INT64}, {@code INT32}, {@code BOOL}, all
 * held as longs), with its ONNX data type, dims and row-major values. An integer tensor computed from the shape of
 * a tensor whose batch or width is symbolic marks those values {@linkplain #known(int) unknown}; ops that only move
 * values carry the marks, ops that compute with them refuse. An unknown value that is a tensor's width plus a known
 * offset ({@code Shape(t)[2] - 2}, as exporters write a slice's end) also names that tensor
 * ({@link #widthOf(int)}), its offset held as the value: {@code Add} and {@code Sub} of a known value keep it, and a
 * {@code Slice} of that tensor along W reads it as an end relative to the width, resolved per width.
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

    final int type;
    final long[] dims;
    final float[] floats;
    final long[] longs;
    private final boolean[] unknown;
    /** For each unknown value that is a tensor's width plus its value, that tensor's name; else null. */
    private final String[] widthOf;

    private ConstTensor(int type, long[] dims, float[] floats, long[] longs, boolean[] unknown, String[] widthOf) {
        this.type = type;
        this.dims = dims;
        this.floats = floats;
        this.longs = longs;
        this.unknown = unknown;
        this.widthOf = widthOf;
    }

    static ConstTensor ofFloats(long[] dims, float[] values) {
        return new ConstTensor(FLOAT, dims, values, null, null, null);
    }

    static ConstTensor ofLongs(int type, long[] dims, long[] values) {
        return new ConstTensor(type, dims, null, values, null, null);
    }

    static ConstTensor ofLongs(int type, long[] dims, long[] values, boolean[] unknown) {
        return ofLongs(type, dims, values, unknown, null);
    }

    /**
     * @param widthOf for each unknown value that is a tensor's width plus the value, that tensor; may be null
     */
    static ConstTensor ofLongs(int type, long[] dims, long[] values, boolean[] unknown, String[] widthOf) {
        boolean any = false;
        boolean widths = false;
        for (int i = 0; i < unknown.length; i++) {
            any |= unknown[i];
            widths |= unknown[i] && widthOf != null && widthOf[i] != null;
        }
        return new ConstTensor(type, dims, null, values, any ? unknown : null, widths ? widthOf : null);
    }

    /** @return the tensor whose width plus {@code longs[i]} value {@code i} is, or null where it is known or not so */
    String widthOf(int i) {
        return widthOf == null || known(i) ? null : widthOf[i];
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
        return unknown == null || !unknown[i];
    }

    boolean allKnown() {
        return unknown == null;
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
        long[] l = new long[src.length];
        boolean[] u = new boolean[src.length];
        String[] w = new String[src.length];
        for (int i = 0; i < src.length; i++) {
            l[i] = longs[src[i]];
            u[i] = !known(src[i]);
            w[i] = widthOf(src[i]);
        }
        return ofLongs(type, newDims, l, u, w);
    }

    ConstTensor reshaped(long[] newDims) {
        return new ConstTensor(type, newDims, floats, longs, unknown, widthOf);
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
