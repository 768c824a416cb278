package org.conv1d4j.internal.onednn;

import org.conv1d4j.internal.lowering.InputCopy;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.PaddingMode;

import java.nio.FloatBuffer;

/**
 * Makes the {@link InputCopy} a lowering asks for: copies the caller's input into a context-owned buffer whose
 * column {@code j} is the padded input's column {@code j * step}, the edges filled as the spec's {@link PaddingMode}
 * says. With step 1 it is the padded input of width {@code W + L + R}, which oneDNN (it pads only with zeros)
 * convolves with no padding; for a single output column it is the one window, channels first. Bulk copies where
 * the layouts agree, no allocation.
 */
final class EdgePadder {
    private final PaddingMode mode;
    private final Layout layout;
    private final Layout copyLayout;
    private final int batch;
    private final int channels;
    private final int step;
    private final int copyWidth;

    EdgePadder(Conv1dSpec spec, int batch, InputCopy copy) {
        this.mode = spec.paddingMode();
        this.layout = spec.layout();
        this.copyLayout = copy.layout();
        this.batch = batch;
        this.channels = spec.inChannels();
        this.step = copy.step();
        this.copyWidth = copy.width();
    }

    /**
     * Fills {@code dst} (from index 0) from the caller's input, read where it lies in {@code buffer} or, where it is
     * not null, in {@code array} (so that neither allocates), starting at {@code srcPos}: the columns
     * {@code [0, valid)} from an input of {@code width} columns padded by {@code left}, the columns
     * {@code [valid, dirtyTo)} with zeros (a bucket's tail, which an earlier, wider call may have written); columns
     * from {@code dirtyTo} on are left as they are (already zero).
     *
     * @param buffer the caller's input, or {@code null} where it is {@code array}
     * @param array the caller's input, or {@code null} where it is {@code buffer}
     * @param srcPos where the input starts
     * @param dst the copy, {@link InputCopy#width()} columns
     * @param width the input's width {@code W}
     * @param left the left padding {@code L} of this call
     * @param valid the columns of the padded input, at most the copy's width
     * @param dirtyTo the end of the columns that may hold stale values, at least {@code valid}
     */
    void fill(FloatBuffer buffer, float[] array, int srcPos, FloatBuffer dst, int width, int left,
                      int valid, int dirtyTo) {
        int bulkStart = step == 1 ? Math.min(left, valid) : valid;
        int bulkEnd = step == 1 ? (int) Math.min((long) left + width, valid) : valid;
        int bulk = bulkEnd - bulkStart;
        if (layout != copyLayout) {
            transpose(buffer, array, srcPos, dst, width, left, valid, dirtyTo);
        } else if (layout == Layout.NCW) {
            for (int row = 0; row < batch * channels; row++) {
                int in = srcPos + row * width;
                int out = row * copyWidth;
                if (bulk > 0) {
                    CallerFloats.copyIn(buffer, array, in + bulkStart - left, dst, out + bulkStart, bulk);
                }
                for (int j = 0; j < valid; j++) {
                    if (j == bulkStart && bulk > 0) {
                        j = bulkEnd - 1;
                        continue;
                    }
                    int i = mode.sourceIndex(j * step - left, width);
                    dst.put(out + j, i < 0 ? 0f : CallerFloats.read(buffer, array, in + i));
                }
                CallerFloats.zero(dst, out + valid, dirtyTo - valid);
            }
        } else {
            for (int n = 0; n < batch; n++) {
                int in = srcPos + n * width * channels;
                int out = n * copyWidth * channels;
                if (bulk > 0) {
                    CallerFloats.copyIn(buffer, array, in + (bulkStart - left) * channels, dst,
                            out + bulkStart * channels, bulk * channels);
                }
                for (int j = 0; j < valid; j++) {
                    if (j == bulkStart && bulk > 0) {
                        j = bulkEnd - 1;
                        continue;
                    }
                    int i = mode.sourceIndex(j * step - left, width);
                    if (i < 0) {
                        CallerFloats.zero(dst, out + j * channels, channels);
                    } else {
                        CallerFloats.copyIn(buffer, array, in + i * channels, dst, out + j * channels, channels);
                    }
                }
                CallerFloats.zero(dst, out + valid * channels, (dirtyTo - valid) * channels);
            }
        }
    }

    /** The copy in the other layout than the caller's: element by element. */
    private void transpose(FloatBuffer buffer, float[] array, int srcPos, FloatBuffer dst, int width, int left,
                           int valid, int dirtyTo) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < dirtyTo; j++) {
                    int i = j < valid ? mode.sourceIndex(j * step - left, width) : -1;
                    float v = i < 0 ? 0f : CallerFloats.read(buffer, array, srcPos + index(layout, n, c, i, width));
                    dst.put(index(copyLayout, n, c, j, copyWidth), v);
                }
            }
        }
    }

    private int index(Layout l, int n, int c, int t, int w) {
        return l == Layout.NCW ? (n * channels + c) * w + t : (n * w + t) * channels + c;
    }
}
