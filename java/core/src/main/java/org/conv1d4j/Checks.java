package org.conv1d4j;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;

import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Cheap argument checks run before any native call, in the spirit of LWJGL's {@code Checks}: each one turns an
 * input that could crash or corrupt native memory into an {@link IllegalArgumentException} naming the argument.
 */
final class Checks {
    private Checks() {
    }

    static void batch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch: must be >= 1, got " + batch);
        }
    }

    /**
     * {@code a * b * c} for non-negative ints, saturated at {@link Long#MAX_VALUE}: three ints can reach 2^93, so a
     * plain {@code long} product can wrap around to a small count that would pass every later check.
     */
    static long product(int a, int b, int c) {
        long ab = (long) a * b; // two ints always fit in a long
        long hi = Math.multiplyHigh(ab, c);
        long lo = ab * c;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** {@code a * b * c} as an int element count, or an exception naming {@code what}. */
    static int elements(String what, int a, int b, int c) {
        long n = product(a, b, c);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + ": " + a + " x " + b + " x " + c
                    + " elements exceeds a Java array (2^31-9)");
        }
        return (int) n;
    }

    /**
     * A forward conv with a non-zero padding mode, or zero padding as wide as the kernel, convolves a padded copy of
     * its input, whose {@code N x C_in x (W + L + R)} floats must fit an array. Checked for every forward conv, so
     * that what is accepted does not depend on the engine or the padding mode.
     */
    static void paddedInput(Conv1dSpec spec, int batch, Geometry g) {
        if (spec.op() == Op.CONV1D) {
            elements("padding", batch, spec.inChannels(), g.inWidth() + g.padLeft() + g.padRight());
        }
    }

    static void arrayLength(String name, float[] a, int expected) {
        arrayLength(name, a, expected, "");
    }

    /** As {@link #arrayLength(String, float[], int)}; {@code shape} (e.g. {@code " (NCW (2, 4, 9))"}) follows the count. */
    static void arrayLength(String name, float[] a, int expected, String shape) {
        if (a == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
        if (a.length != expected) {
            throw new IllegalArgumentException(name + ": expected " + expected + " floats" + shape + ", got "
                    + a.length);
        }
    }

    /** The weights: {@code spec.weightCount()} floats, the message giving the shape in the spec's weight layout. */
    static void weights(Conv1dSpec spec, float[] weights) {
        if (weights == null || weights.length != spec.weightCount()) {
            arrayLength("weights", weights, spec.weightCount(), " (" + spec.weightLayout() + " "
                    + dims(spec.weightShape()) + ")");
        }
    }

    /** An activation array of {@code batch} x {@code channels} x {@code width}, named in the spec's layout. */
    static void activations(String name, float[] a, int expected, Layout layout, int batch, int channels, int width) {
        if (a == null || a.length != expected) {
            int[] shape = layout == Layout.NCW ? new int[] {batch, channels, width} : new int[] {batch, width, channels};
            arrayLength(name, a, expected, " (" + layout + " " + dims(shape) + ")");
        }
    }

    private static String dims(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(')').toString();
    }

    static void buffer(String name, FloatBuffer b, int needed, boolean writable) {
        if (b == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
        if (!b.isDirect()) {
            throw new IllegalArgumentException(name + ": must be a direct buffer (use the float[] overload for heap data)");
        }
        if (b.order() != ByteOrder.nativeOrder()) {
            throw new IllegalArgumentException(name + ": byte order must be native (" + ByteOrder.nativeOrder()
                    + "), got " + b.order());
        }
        if (writable && b.isReadOnly()) {
            throw new IllegalArgumentException(name + ": is read-only");
        }
        if (b.remaining() < needed) {
            throw new IllegalArgumentException(name + ": needs " + needed + " floats from position " + b.position()
                    + ", has " + b.remaining() + (b.hasRemaining() ? "" : " (position == limit: after filling the"
                    + " buffer with put, call flip() or rewind() to read it from the start)"));
        }
    }
}
