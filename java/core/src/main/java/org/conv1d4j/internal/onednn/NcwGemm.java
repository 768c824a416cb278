package org.conv1d4j.internal.onednn;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.internal.lowering.GemmRule;
import org.conv1d4j.internal.lowering.WeightIndex;
import org.conv1d4j.nativeconfig.NativeOwner;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.PaddingMode;

import java.nio.FloatBuffer;

import static org.bytedeco.dnnl.global.dnnl.dnnl_sgemm;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

/**
 * An NCW forward conv on oneDNN's {@code dnnl_sgemm} ({@link org.conv1d4j.spec.NcwStrategy#GEMM}), which takes its
 * sizes at run time, so that any width runs with no primitive and no plan. Per sample {@code n}, in one of two forms
 * ({@link GemmRule#shifted}):
 *
 * <pre>
 *   column copy:   Y_n (C_out x OW, row stride OW: the caller's rows) = A (C_out x T) * Col_n^T
 *                  A[o]     = w[o][c][k] at c * K + k, then b[o]                 (built once)
 *                  Col_n[t] = x_n[c][t * S + k * D - PW_L] at c * K + k, then 1  (copied in Java per call)
 *   shifted taps:  Y_n = b * 1^T, then for each tap k, over the columns t with 0 &lt;= t + k * D - PW_L &lt; IW:
 *                  Y_n[:, t] += A_k (C_out x C_in) * x_n[:, t + k * D - PW_L]   (x_n read in place, row stride IW)
 *                  A_k[o][c] = w[o][c][k]                                      (built once)
 * </pre>
 *
 * with {@code T = C_in * K} (plus 1 with a bias) and out-of-range columns read as the padding mode says. The column
 * copy reads {@code Col_n} transposed ({@code ldb = T}); shifted taps (stride 1, zero padding) read the input where
 * it lies and leave out the products with the padding, which are zeros. Either writes {@code Y_n} with {@code ldc =
 * OW}: the output is written in place. Each concurrent call takes its own buffers (the column copy, or a row of
 * ones for the bias), grown to the widest call it served.
 */
final class NcwGemm {
    private final Conv1dSpec spec;
    private final boolean shifted;
    private final int terms;
    private final NativeOwner owner = new NativeOwner();
    private final AlignedFloats a;
    private final IdlePool<Columns> calls = new IdlePool<>(Columns::new, Columns::close);

    /**
     * @param spec a spec {@link GemmRule#unsupported} accepts
     * @param weights in {@code spec.weightLayout()}, checked
     * @param bias {@code C_out} floats, or {@code null}
     */
    NcwGemm(Conv1dSpec spec, float[] weights, float[] bias) {
        this.spec = spec;
        this.shifted = GemmRule.shifted(spec);
        this.terms = GemmRule.terms(spec);
        float[] rows = shifted ? tapMatrices(spec, weights, bias) : columnMatrix(spec, weights, bias);
        this.a = new AlignedFloats(rows.length, owner);
        a.pointer().put(rows, 0, rows.length);
    }

    /** {@code A}: row {@code o} holds {@code w[o][c][k]} at {@code c * K + k}, then {@code b[o]}. */
    private float[] columnMatrix(Conv1dSpec spec, float[] weights, float[] bias) {
        int cin = spec.inChannels();
        int kw = spec.kernelSize();
        int cout = spec.outChannels();
        float[] rows = new float[cout * terms];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int k = 0; k < kw; k++) {
                    rows[o * terms + c * kw + k] = weights[WeightIndex.of(spec, o, c, k)];
                }
            }
            if (bias != null) {
                rows[o * terms + cin * kw] = bias[o];
            }
        }
        return rows;
    }

    /** {@code A_0 .. A_{K-1}}, each {@code C_out x C_in} row-major, then the bias (zeros without one). */
    private static float[] tapMatrices(Conv1dSpec spec, float[] weights, float[] bias) {
        int cin = spec.inChannels();
        int kw = spec.kernelSize();
        int cout = spec.outChannels();
        float[] taps = new float[kw * cout * cin + cout];
        for (int k = 0; k < kw; k++) {
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    taps[(k * cout + o) * cin + c] = weights[WeightIndex.of(spec, o, c, k)];
                }
            }
        }
        if (bias != null) {
            System.arraycopy(bias, 0, taps, kw * cout * cin, cout);
        }
        return taps;
    }

    /**
     * Runs on direct buffers.
     *
     * @param src the input from its position, {@code batch * C_in * W} floats
     * @param srcAddr the address of the input's first float
     * @param dstAddr the address of the output's first float, {@code batch * C_out * OW} floats
     * @param batch {@code N}
     * @param g the call's geometry
     */
    void forward(FloatBuffer src, long srcAddr, long dstAddr, int batch, Geometry g) {
        Columns cols = take(g);
        try {
            long sampleBytes = (long) spec.outChannels() * g.outWidth() * Float.BYTES;
            int sample = spec.inChannels() * g.inWidth();
            for (int n = 0; n < batch; n++) {
                if (shifted) {
                    cols.multiplyTaps(srcAddr + (long) n * sample * Float.BYTES, dstAddr + n * sampleBytes, g);
                } else {
                    cols.gather(src, src.position() + n * sample, g);
                    cols.multiply(dstAddr + n * sampleBytes, g.outWidth());
                }
            }
        } finally {
            give(cols);
        }
    }

    /**
     * Runs on arrays: the input is copied into native memory, each sample's output staged there and copied into
     * {@code dst}.
     *
     * @param src the input, {@code batch * C_in * W} floats
     * @param dst the output, {@code batch * C_out * OW} floats
     * @param batch {@code N}
     * @param g the call's geometry
     */
    void forward(float[] src, float[] dst, int batch, Geometry g) {
        Columns cols = take(g);
        try {
            int sample = spec.outChannels() * g.outWidth();
            int inSample = spec.inChannels() * g.inWidth();
            FloatBuffer in = cols.stagedInput(src);
            for (int n = 0; n < batch; n++) {
                long out = cols.stagedOutput(sample);
                if (shifted) {
                    cols.multiplyTaps(cols.in.address() + (long) n * inSample * Float.BYTES, out, g);
                } else {
                    cols.gather(in, n * inSample, g);
                    cols.multiply(out, g.outWidth());
                }
                cols.outView.get(0, dst, n * sample, sample);
            }
        } finally {
            give(cols);
        }
    }

    /**
     * Grows an idle call's buffers (made if none is idle) to a call of {@code (batch, g)} on either overload, so that
     * such calls allocate nothing.
     *
     * @param batch {@code N}
     * @param g the call's geometry
     */
    void reserve(int batch, Geometry g) {
        Columns cols = take(g);
        cols.stagedOutput((long) spec.outChannels() * g.outWidth());
        cols.in.fit((long) batch * spec.inChannels() * g.inWidth());
        give(cols);
    }

    private Columns take(Geometry g) {
        Columns c = calls.take();
        if (shifted) {
            c.fitOnes(g.outWidth());
        } else {
            c.fit((long) g.outWidth() * terms);
        }
        return c;
    }

    private void give(Columns c) {
        calls.give(c);
    }

    /** Frees the weights and every column buffer; only once no call runs. */
    void close() {
        calls.close();
        owner.close();
    }

    /**
     * One concurrent call's column copy (or row of ones), the array overload's native input and output, and gemm
     * operands.
     */
    private final class Columns {
        private final Operand pa = new Operand();
        private final Operand pb = new Operand();
        private final Operand pc = new Operand();
        private final GrowingFloats col = new GrowingFloats();
        private final GrowingFloats in = new GrowingFloats();
        private final GrowingFloats out = new GrowingFloats();
        private FloatBuffer outView;
        private long ones;

        void fit(long floats) {
            col.fit(floats);
        }

        /** Makes {@code col} hold at least {@code n} ones, the row the bias is broadcast with. */
        void fitOnes(int n) {
            if (n > ones) {
                FloatBuffer v = col.fit(n).view();
                for (int i = 0; i < n; i++) {
                    v.put(i, 1f);
                }
                ones = n;
            }
        }

        /** @return {@code src} copied into native memory */
        FloatBuffer stagedInput(float[] src) {
            in.fit(src.length).pointer().put(src, 0, src.length);
            return in.view();
        }

        /** @return the address of a native output of at least {@code floats} floats, {@link #outView} over it */
        long stagedOutput(long floats) {
            outView = out.fit(floats).view();
            return out.address();
        }

        /** Writes {@code Col_n}: row {@code t} holds what output column {@code t} reads, then a 1 for the bias. */
        void gather(FloatBuffer x, int base, Geometry g) {
            int cin = spec.inChannels();
            int kw = spec.kernelSize();
            int s = spec.stride();
            int d = spec.dilation();
            int w = g.inWidth();
            int left = g.padLeft();
            int ow = g.outWidth();
            int span = (kw - 1) * d;
            // columns t whose taps all lie in [0, W): t * S >= PW_L and t * S + span - PW_L < W
            int first = Math.min(ow, (left + s - 1) / s);
            int last = Math.max(first, Math.min(ow, w + left - span <= 0 ? 0 : (w + left - span - 1) / s + 1));
            FloatBuffer out = col.view();
            for (int t = first; t < last; t++) {
                int row = t * terms;
                int at = base + t * s - left;
                for (int c = 0; c < cin; c++) {
                    int from = at + c * w;
                    int to = row + c * kw;
                    for (int k = 0; k < kw; k++) {
                        out.put(to + k, x.get(from + k * d));
                    }
                }
            }
            edges(x, base, g, 0, first);
            edges(x, base, g, last, ow);
            if (terms > cin * kw) {
                for (int t = 0, i = cin * kw; t < ow; t++, i += terms) {
                    out.put(i, 1f);
                }
            }
        }

        /** The columns {@code [from, to)}, whose taps may read the padding. */
        private void edges(FloatBuffer x, int base, Geometry g, int from, int to) {
            int cin = spec.inChannels();
            int kw = spec.kernelSize();
            int w = g.inWidth();
            PaddingMode mode = spec.paddingMode();
            for (int t = from; t < to; t++) {
                for (int c = 0; c < cin; c++) {
                    for (int k = 0; k < kw; k++) {
                        int i = mode.sourceIndex(t * spec.stride() + k * spec.dilation() - g.padLeft(), w);
                        col.view().put(t * terms + c * kw + k, i < 0 ? 0f : x.get(base + c * w + i));
                    }
                }
            }
        }

        /** {@code Y_n = A * Col_n^T} into the {@code C_out x ow} floats at {@code dstAddr}. */
        void multiply(long dstAddr, int ow) {
            check(dnnl_sgemm((byte) 'N', (byte) 'T', spec.outChannels(), ow, terms, 1f, pa.aim(a.address()), terms,
                    pb.aim(col.address()), terms, 0f, pc.aim(dstAddr), ow));
        }

        private void check(int status) {
            if (status != dnnl_success) {
                throw new IllegalStateException("oneDNN sgemm failed with status " + status);
            }
        }

        /**
         * Shifted taps: {@code Y = b * 1^T} (beta 0: what the output held is not read), then {@code Y[:, t] += A_k *
         * x[:, t + k * D - PW_L]} over the columns whose tap lies in the input. Without a bias, a tap that covers
         * every column comes first with beta 0 instead of the pass that writes the bias.
         */
        void multiplyTaps(long srcAddr, long dstAddr, Geometry g) {
            int kw = spec.kernelSize();
            int first = spec.hasBias() ? -1 : coveringTap(g);
            if (first < 0) {
                int ow = g.outWidth();
                check(dnnl_sgemm((byte) 'N', (byte) 'N', spec.outChannels(), ow, 1, 1f,
                        pa.aim(a.address() + kw * tapBytes()), 1, pb.aim(col.address()), ow, 0f, pc.aim(dstAddr),
                        ow));
            } else {
                tap(first, srcAddr, dstAddr, g, 0f);
            }
            for (int k = 0; k < kw; k++) {
                if (k != first) {
                    tap(k, srcAddr, dstAddr, g, 1f);
                }
            }
        }

        /** @return a tap whose shift keeps every output column inside the input, or -1 */
        private int coveringTap(Geometry g) {
            for (int k = 0; k < spec.kernelSize(); k++) {
                int shift = k * spec.dilation() - g.padLeft();
                if (shift >= 0 && g.outWidth() <= g.inWidth() - shift) {
                    return k;
                }
            }
            return -1;
        }

        /** {@code Y[:, t] = A_k * x[:, t + shift] + beta * Y[:, t]} over the columns with {@code t + shift} inside. */
        private void tap(int k, long srcAddr, long dstAddr, Geometry g, float beta) {
            int w = g.inWidth();
            int ow = g.outWidth();
            int cin = spec.inChannels();
            int shift = k * spec.dilation() - g.padLeft();
            int first = Math.max(0, -shift);
            int end = Math.min(ow, w - shift);
            if (end > first) {
                check(dnnl_sgemm((byte) 'N', (byte) 'N', spec.outChannels(), end - first, cin, 1f,
                        pa.aim(a.address() + k * tapBytes()), cin,
                        pb.aim(srcAddr + (long) (first + shift) * Float.BYTES), w, beta,
                        pc.aim(dstAddr + (long) first * Float.BYTES), ow));
            }
        }

        private long tapBytes() {
            return (long) spec.outChannels() * spec.inChannels() * Float.BYTES;
        }

        void close() {
            col.close();
            in.close();
            out.close();
        }
    }

    /** A reusable, non-owning float pointer aimed at a gemm operand for one call. */
    private static final class Operand extends FloatPointer {
        Operand() {
            super((Pointer) null);
        }

        Operand aim(long addr) {
            this.address = addr;
            return this;
        }
    }
}
