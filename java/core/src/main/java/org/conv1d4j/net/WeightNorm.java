package org.conv1d4j.net;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.SafeTensors;

import java.util.Arrays;

/**
 * PyTorch's {@code weight_norm} (the original TCN's convs): a {@code state_dict} holds a magnitude {@code g} of shape
 * {@code (R, 1, 1)} and a direction {@code v} of the weight's shape {@code (R, ...)}, as {@code layer.weight_g} /
 * {@code layer.weight_v} or, since PyTorch 2.1, {@code layer.parametrizations.weight.original0} / {@code original1};
 * the weight is {@code w[r] = g[r] * v[r] / ||v[r]||}, computed here in double and rounded once to float32.
 */
final class WeightNorm {
    private static final String[][] NAMES = {{".weight_g", ".weight_v"},
        {".parametrizations.weight.original0", ".parametrizations.weight.original1"}};

    private WeightNorm() {
    }

    /**
     * @return the folded weight, or {@code null} when the file holds no weight-normed tensors for the layer
     * @throws InvalidInputException naming the tensor whose shape does not fit or whose direction row is zero
     */
    static float[] fold(SafeTensors file, String layer, int[] shape) {
        for (String[] n : NAMES) {
            String gName = layer + n[0];
            String vName = layer + n[1];
            if (file.contains(gName) && file.contains(vName)) {
                return fold(file, gName, vName, shape);
            }
        }
        return null;
    }

    private static float[] fold(SafeTensors file, String gName, String vName, int[] shape) {
        int[] vShape = file.shape(vName);
        if (!Arrays.equals(vShape, shape)) {
            throw new InvalidInputException("tensor '" + vName + "': shape " + Arrays.toString(vShape)
                    + ", expected the weight's " + Arrays.toString(shape));
        }
        int rows = shape[0];
        int[] gShape = file.shape(gName);
        int[] expected = new int[shape.length];
        Arrays.fill(expected, 1);
        expected[0] = rows;
        if (!Arrays.equals(gShape, expected)) {
            throw new InvalidInputException("tensor '" + gName + "': shape " + Arrays.toString(gShape) + ", expected "
                    + Arrays.toString(expected) + " (weight_norm over dim 0)");
        }
        float[] g = file.floats(gName);
        float[] v = file.floats(vName);
        int per = v.length / rows;
        float[] w = new float[v.length];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int i = r * per; i < (r + 1) * per; i++) {
                sum += (double) v[i] * v[i];
            }
            if (!(sum > 0)) {
                throw new InvalidInputException("tensor '" + vName + "': row " + r + " has norm " + Math.sqrt(sum)
                        + "; weight_norm divides by it");
            }
            double scale = g[r] / Math.sqrt(sum);
            for (int i = r * per; i < (r + 1) * per; i++) {
                w[i] = (float) (v[i] * scale);
            }
        }
        return w;
    }
}
