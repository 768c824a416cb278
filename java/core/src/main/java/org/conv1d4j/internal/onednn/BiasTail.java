package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;

import java.nio.FloatBuffer;

/**
 * The rightmost output columns of a transposed conv that {@code output_padding} adds beyond the full output: no
 * input reaches them, so each holds {@code f(bias[o])}. The primitive writes the other columns densely;
 * {@link #widen} copies them into the caller's output and fills these.
 */
final class BiasTail {
    private final Layout layout;
    private final int batch;
    private final int channels;
    private final int width;
    private final int narrow;
    private final float[] value;

    BiasTail(Conv1dSpec spec, float[] bias, int batch, int width, int tail) {
        this.layout = spec.layout();
        this.batch = batch;
        this.channels = spec.outChannels();
        this.width = width;
        this.narrow = width - tail;
        this.value = new float[channels];
        for (int o = 0; o < channels; o++) {
            value[o] = (float) spec.activation().apply(bias[o], spec.alpha());
        }
    }

    /** @return the size of the dense output the primitive writes, {@code N * C_out * (OW - tail)} */
    int narrowElements() {
        return batch * channels * narrow;
    }

    /** Copies the {@code narrow}-wide output {@code src} into {@code dst} (from {@code pos}) and fills the tail. */
    void widen(FloatBuffer src, FloatBuffer dst, int pos) {
        if (layout == Layout.NCW) {
            for (int row = 0; row < batch * channels; row++) {
                dst.put(pos + row * width, src, row * narrow, narrow);
                float v = value[row % channels];
                for (int t = narrow; t < width; t++) {
                    dst.put(pos + row * width + t, v);
                }
            }
        } else {
            for (int n = 0; n < batch; n++) {
                dst.put(pos + n * width * channels, src, n * narrow * channels, narrow * channels);
                for (int t = narrow; t < width; t++) {
                    dst.put(pos + (n * width + t) * channels, value, 0, channels);
                }
            }
        }
    }
}
