package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.net.Pointwise;
import org.conv1d4j.spec.Layout;

/**
 * The plain Java loops a user writes between single ops, on float arrays in {@link Layout#NCW} or {@link Layout#NWC}.
 * Element-wise ones may run in place ({@code y == x}).
 */
final class JavaOps {
    private JavaOps() {
    }

    /** {@code y = a[c] * x + s[c]} per channel (a BatchNorm that no conv took). */
    static void scaleShift(float[] x, float[] y, float[] a, float[] s, Layout layout, int n, int c, int w) {
        if (layout == Layout.NCW) {
            for (int i = 0; i < n * c; i++) {
                int ch = i % c;
                float ai = a[ch];
                float si = s[ch];
                for (int j = i * w; j < (i + 1) * w; j++) {
                    y[j] = ai * x[j] + si;
                }
            }
        } else {
            for (int i = 0; i < n * w; i++) {
                for (int ch = 0, j = i * c; ch < c; ch++, j++) {
                    y[j] = a[ch] * x[j] + s[ch];
                }
            }
        }
    }

    /** An activation no conv took, in double as {@link Pointwise#apply(double, double, double)} defines it. */
    static void pointwise(float[] x, float[] y, Pointwise f, double alpha, double beta) {
        if (f == Pointwise.RELU) {
            for (int j = 0; j < x.length; j++) {
                y[j] = Math.max(x[j], 0f);
            }
        } else {
            for (int j = 0; j < x.length; j++) {
                y[j] = (float) f.apply(x[j], alpha, beta);
            }
        }
    }

    /** PReLU with one slope or one per channel. */
    static void prelu(float[] x, float[] y, float[] slope, Layout layout, int n, int c, int w) {
        if (slope.length == 1) {
            float s = slope[0];
            for (int j = 0; j < x.length; j++) {
                y[j] = x[j] >= 0 ? x[j] : s * x[j];
            }
            return;
        }
        for (int j = 0; j < x.length; j++) {
            float s = slope[layout == Layout.NCW ? (j / w) % c : j % c];
            y[j] = x[j] >= 0 ? x[j] : s * x[j];
        }
    }

    /** {@code y = a + b}. */
    static void add(float[] a, float[] b, float[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] = a[j] + b[j];
        }
    }

    /**
     * {@code y[.., t] = x[.., t + offset]}, zero where that falls outside {@code x}: a zero {@code Pad} (negative
     * offset) or a {@code Slice} along W.
     */
    static void window(float[] x, int wx, float[] y, int wy, int offset, Layout layout, int n, int c) {
        if (layout == Layout.NCW) {
            for (int i = 0; i < n * c; i++) {
                for (int t = 0; t < wy; t++) {
                    int s = t + offset;
                    y[i * wy + t] = s >= 0 && s < wx ? x[i * wx + s] : 0f;
                }
            }
        } else {
            for (int b = 0; b < n; b++) {
                for (int t = 0; t < wy; t++) {
                    int s = t + offset;
                    int to = (b * wy + t) * c;
                    if (s >= 0 && s < wx) {
                        System.arraycopy(x, (b * wx + s) * c, y, to, c);
                    } else {
                        java.util.Arrays.fill(y, to, to + c, 0f);
                    }
                }
            }
        }
    }

    /** Concatenation along the channels. */
    static void concat(float[][] xs, int[] cs, float[] y, Layout layout, int n, int w) {
        int ctotal = 0;
        for (int c : cs) {
            ctotal += c;
        }
        for (int b = 0; b < n; b++) {
            int offset = 0;
            for (int k = 0; k < xs.length; k++) {
                if (layout == Layout.NCW) {
                    System.arraycopy(xs[k], b * cs[k] * w, y, (b * ctotal + offset) * w, cs[k] * w);
                } else {
                    for (int t = 0; t < w; t++) {
                        System.arraycopy(xs[k], (b * w + t) * cs[k], y, (b * w + t) * ctotal + offset, cs[k]);
                    }
                }
                offset += cs[k];
            }
        }
    }

    /** The maximum or mean over W, width 1. */
    static void globalPool(float[] x, float[] y, boolean max, Layout layout, int n, int c, int w) {
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                float m = max ? Float.NEGATIVE_INFINITY : 0f;
                for (int t = 0; t < w; t++) {
                    float v = x[layout == Layout.NCW ? (b * c + ch) * w + t : (b * w + t) * c + ch];
                    m = max ? Math.max(m, v) : m + v;
                }
                y[b * c + ch] = max ? m : m / w;
            }
        }
    }
}
