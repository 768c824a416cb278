package org.conv1d4j.internal.onednn;

import org.conv1d4j.internal.lowering.InputCopy;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.PaddingMode;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The input copies a lowering asks for, on both layouts and every padding mode, against PyTorch's padding rule. */
class EdgePadderTest {
    /** The copy by definition: buffer column j is padded column j * step. */
    private static float[] expected(float[] x, Layout layout, int batch, int channels, int width, InputCopy copy,
                                    PaddingMode mode) {
        Layout out = copy.layout();
        float[] result = new float[batch * channels * copy.width()];
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < copy.width(); j++) {
                    int i = mode.sourceIndex(j * copy.step() - copy.left(), width);
                    float v = i < 0 ? 0f : x[index(layout, n, c, i, channels, width)];
                    result[index(out, n, c, j, channels, copy.width())] = v;
                }
            }
        }
        return result;
    }

    private static int index(Layout layout, int n, int c, int t, int channels, int width) {
        return layout == Layout.NCW ? (n * channels + c) * width + t : (n * width + t) * channels + c;
    }

    @Test
    void copiesMatchThePaddedInput() {
        int batch = 2;
        int channels = 3;
        int width = 7;
        float[] x = new float[batch * channels * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = i + 1;
        }
        int[][] copies = {
            {7 + 3 + 2, 3, 1}, // edge padding [3, 2]
            {7, 0, 1}, // no padding
            {5, 4, 1}, // a window inside the left padding and the first column
            {3, 6, 1}, // a window of padding only
            {4, 2, 3}, // a dilated window: padded columns 0, 3, 6, 9
            {1280, 1279, 1}, // the fuzz finding's window (its tail beyond the input reads padding)
        };
        for (Layout layout : Layout.values()) {
            for (PaddingMode mode : PaddingMode.values()) {
                for (int[] p : copies) {
                    boolean rejected = (mode == PaddingMode.REFLECT && p[1] >= width)
                            || (mode == PaddingMode.CIRCULAR && p[1] > width)
                            || (p[0] == 1280 && mode != PaddingMode.ZEROS);
                    if (rejected) {
                        continue; // geometry rejects these
                    }
                    for (Layout copyLayout : Layout.values()) {
                        check(x, layout, mode, batch, channels, width, new InputCopy(p[0], p[1], p[2], copyLayout));
                    }
                }
            }
        }
    }

    private static void check(float[] x, Layout layout, PaddingMode mode, int batch, int channels, int width,
                              InputCopy copy) {
        Conv1dSpec spec = Conv1dSpec.builder(channels, 1, 1).paddingMode(mode).layout(layout).build();
        FloatBuffer dst = FloatBuffer.allocate(batch * channels * copy.width() + 5);
        FloatBuffer src = FloatBuffer.allocate(x.length + 4);
        src.position(4);
        src.put(x);
        EdgePadder padder = new EdgePadder(spec, batch, copy);
        padder.fill(src, null, 4, dst, width, copy.left(), copy.width(), copy.width());
        float[] got = new float[batch * channels * copy.width()];
        dst.get(0, got);
        float[] want = expected(x, layout, batch, channels, width, copy, mode);
        assertArrayEquals(want, got, layout + " " + mode + " " + copy);
        float[] fromArray = new float[x.length + 3];
        System.arraycopy(x, 0, fromArray, 3, x.length);
        FloatBuffer dst2 = FloatBuffer.allocate(dst.capacity());
        padder.fill(null, fromArray, 3, dst2, width, copy.left(), copy.width(), copy.width());
        dst2.get(0, got);
        assertArrayEquals(want, got, "from an array, " + layout + " " + mode + " " + copy);
    }
}
