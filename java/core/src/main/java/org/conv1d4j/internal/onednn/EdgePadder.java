package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.PaddingMode;

import java.nio.FloatBuffer;

/**
 * Copies the caller's input into a context-owned buffer of width {@code W + L + R}, filling the edges as the
 * spec's {@link PaddingMode} says, so that oneDNN (which pads only with zeros) can run a {@code valid}
 * convolution on it. Bulk copies, no allocation.
 */
final class EdgePadder {
    private final PaddingMode mode;
    private final Layout layout;
    private final int batch;
    private final int channels;
    private final int width;
    private final int left;
    private final int paddedWidth;

    EdgePadder(Conv1dSpec spec, int batch, Geometry g) {
        this.mode = spec.paddingMode();
        this.layout = spec.layout();
        this.batch = batch;
        this.channels = spec.inChannels();
        this.width = g.inWidth();
        this.left = g.padLeft();
        this.paddedWidth = g.inWidth() + g.padLeft() + g.padRight();
    }

    /** The geometry of the convolution on the padded buffer: no padding left to do. */
    static Geometry paddedGeometry(Geometry g) {
        return new Geometry(g.inWidth() + g.padLeft() + g.padRight(), g.outWidth(), 0, 0, g.effectiveKernel());
    }

    /** Fills {@code dst} (from index 0) from {@code src} starting at {@code srcPos}. */
    void fill(FloatBuffer src, int srcPos, FloatBuffer dst) {
        if (layout == Layout.NCW) {
            for (int row = 0; row < batch * channels; row++) {
                int in = srcPos + row * width;
                int out = row * paddedWidth;
                dst.put(out + left, src, in, width);
                for (int p = 0; p < paddedWidth; p++) {
                    if (p == left) {
                        p += width - 1;
                        continue;
                    }
                    int i = mode.sourceIndex(p - left, width);
                    dst.put(out + p, i < 0 ? 0f : src.get(in + i));
                }
            }
        } else {
            for (int n = 0; n < batch; n++) {
                int in = srcPos + n * width * channels;
                int out = n * paddedWidth * channels;
                dst.put(out + left * channels, src, in, width * channels);
                for (int p = 0; p < paddedWidth; p++) {
                    if (p == left) {
                        p += width - 1;
                        continue;
                    }
                    int i = mode.sourceIndex(p - left, width);
                    if (i < 0) {
                        for (int c = 0; c < channels; c++) {
                            dst.put(out + p * channels + c, 0f);
                        }
                    } else {
                        dst.put(out + p * channels, src, in + i * channels, channels);
                    }
                }
            }
        }
    }
}
