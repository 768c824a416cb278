package org.conv1d4j.internal.onednn;

import java.nio.FloatBuffer;

/**
 * Copies between a caller's input or output, a direct buffer or an array (whichever is not null), and a staging
 * buffer, with bulk copies and no allocation.
 */
final class CallerFloats {
    /** Zeros to copy from in bulk; never written. */
    private static final float[] ZEROS = new float[1024];

    private CallerFloats() {
    }

    /**
     * @param buffer the caller's floats, or {@code null} where they are {@code array}
     * @param array the caller's floats, or {@code null} where they are {@code buffer}
     * @param from the first float read
     * @param dst the staging buffer
     * @param to the first float written
     * @param count how many
     */
    static void copyIn(FloatBuffer buffer, float[] array, int from, FloatBuffer dst, int to, int count) {
        if (array != null) {
            dst.put(to, array, from, count);
        } else {
            dst.put(to, buffer, from, count);
        }
    }

    /**
     * @param src the staging buffer
     * @param from the first float read
     * @param buffer the caller's output, or {@code null} where it is {@code array}
     * @param array the caller's output, or {@code null} where it is {@code buffer}
     * @param to the first float written
     * @param count how many
     */
    static void copyOut(FloatBuffer src, int from, FloatBuffer buffer, float[] array, int to, int count) {
        if (array != null) {
            src.get(from, array, to, count);
        } else {
            buffer.put(to, src, from, count);
        }
    }

    /**
     * @param buffer the caller's floats, or {@code null} where they are {@code array}
     * @param array the caller's floats, or {@code null} where they are {@code buffer}
     * @param i the index
     * @return the float at {@code i}
     */
    static float read(FloatBuffer buffer, float[] array, int i) {
        return array != null ? array[i] : buffer.get(i);
    }

    /**
     * @param dst a buffer
     * @param from the first float zeroed
     * @param count how many
     */
    static void zero(FloatBuffer dst, int from, int count) {
        for (int i = from, end = from + count; i < end; i += ZEROS.length) {
            dst.put(i, ZEROS, 0, Math.min(ZEROS.length, end - i));
        }
    }
}
