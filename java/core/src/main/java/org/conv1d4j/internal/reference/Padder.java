package org.conv1d4j.internal.reference;

import org.conv1d4j.spec.PaddingMode;

/** Pads one row as PyTorch's {@code F.pad} does for each mode. */
final class Padder {
    private Padder() {
    }

    static double[] pad(double[] row, int left, int right, PaddingMode mode) {
        double[] out = new double[left + row.length + right];
        for (int p = 0; p < out.length; p++) {
            int i = mode.sourceIndex(p - left, row.length);
            out[p] = i < 0 ? 0.0 : row[i];
        }
        return out;
    }
}
