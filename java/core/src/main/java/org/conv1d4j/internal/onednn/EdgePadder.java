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
    private final int width;
    private final int left;
    private final int step;
    private final int copyWidth;
    /** The buffer columns {@code [bulkStart, bulkEnd)} are input columns copied in one run (step 1 only). */
    private final int bulkStart;
    private final int bulkEnd;

    EdgePadder(Conv1dSpec spec, int batch, int width, InputCopy copy) {
        this.mode = spec.paddingMode();
        this.layout = spec.layout();
        this.copyLayout = copy.layout();
        this.batch = batch;
        this.channels = spec.inChannels();
        this.width = width;
        this.left = copy.left();
        this.step = copy.step();
        this.copyWidth = copy.width();
        this.bulkStart = step == 1 ? Math.min(left, copyWidth) : copyWidth;
        this.bulkEnd = step == 1 ? (int) Math.min((long) left + width, copyWidth) : copyWidth;
    }

    /** Fills {@code dst} (from index 0) from {@code src} starting at {@code srcPos}. */
    void fill(FloatBuffer src, int srcPos, FloatBuffer dst) {
        int bulk = bulkEnd - bulkStart;
        if (layout != copyLayout) {
            transpose(src, srcPos, dst);
        } else if (layout == Layout.NCW) {
            for (int row = 0; row < batch * channels; row++) {
                int in = srcPos + row * width;
                int out = row * copyWidth;
                if (bulk > 0) {
                    dst.put(out + bulkStart, src, in + bulkStart - left, bulk);
                }
                for (int j = 0; j < copyWidth; j++) {
                    if (j == bulkStart && bulk > 0) {
                        j = bulkEnd - 1;
                        continue;
                    }
                    int i = mode.sourceIndex(j * step - left, width);
                    dst.put(out + j, i < 0 ? 0f : src.get(in + i));
                }
            }
        } else {
            for (int n = 0; n < batch; n++) {
                int in = srcPos + n * width * channels;
                int out = n * copyWidth * channels;
                if (bulk > 0) {
                    dst.put(out + bulkStart * channels, src, in + (bulkStart - left) * channels, bulk * channels);
                }
                for (int j = 0; j < copyWidth; j++) {
                    if (j == bulkStart && bulk > 0) {
                        j = bulkEnd - 1;
                        continue;
                    }
                    int i = mode.sourceIndex(j * step - left, width);
                    if (i < 0) {
                        for (int c = 0; c < channels; c++) {
                            dst.put(out + j * channels + c, 0f);
                        }
                    } else {
                        dst.put(out + j * channels, src, in + i * channels, channels);
                    }
                }
            }
        }
    }

    /** The copy in the other layout than the caller's: element by element. */
    private void transpose(FloatBuffer src, int srcPos, FloatBuffer dst) {
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < copyWidth; j++) {
                    int i = mode.sourceIndex(j * step - left, width);
                    float v = i < 0 ? 0f : src.get(srcPos + index(layout, n, c, i, width));
                    dst.put(index(copyLayout, n, c, j, copyWidth), v);
                }
            }
        }
    }

    private int index(Layout l, int n, int c, int t, int w) {
        return l == Layout.NCW ? (n * channels + c) * w + t : (n * w + t) * channels + c;
    }
}
