package org.conv1d4j.internal.quant;

import org.conv1d4j.internal.lowering.WeightIndex;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Precision;

/**
 * An op's weights as signed 8-bit levels, symmetric per output channel: {@code s_o = max|w_o| / L} and
 * {@code q = rint(w / s_o)} in {@code [-L, L]}, in the caller's layout ({@code spec.weightLayout()}), computed once in
 * Java and used by both engines, so that oneDNN's int8 and the reference engine multiply the same integers. A
 * channel of zeros gets scale 1. {@code L} is 127 where the CPU has VNNI; without it oneDNN adds pairs of u8 x s8
 * products in 16 bits first ({@code vpmaddubsw}), which 255 * 127 * 2 overflows, so there {@code L} is 63.
 */
public final class QuantizedWeights {
    private final byte[] levels;
    private final float[] scales;
    private final int maxLevel;

    private QuantizedWeights(byte[] levels, float[] scales, int maxLevel) {
        this.levels = levels;
        this.scales = scales;
        this.maxLevel = maxLevel;
    }

    /**
     * @param spec the op (its weight layout and channel counts)
     * @param weights {@code spec.weightCount()} floats in {@code spec.weightLayout()}, all finite
     * @param isa oneDNN's effective ISA, which decides {@code L}
     * @return the quantized weights
     * @throws IllegalArgumentException when a weight is not finite
     */
    public static QuantizedWeights of(Conv1dSpec spec, float[] weights, String isa) {
        int maxLevel = Precision.int8WeightLevel(isa);
        float[] max = new float[spec.outChannels()];
        for (int i = 0; i < weights.length; i++) {
            if (!Float.isFinite(weights[i])) {
                throw new IllegalArgumentException("weights: value " + i + " is " + weights[i] + "; int8 needs finite "
                        + "weights");
            }
            int o = WeightIndex.outChannel(spec, i);
            max[o] = Math.max(max[o], Math.abs(weights[i]));
        }
        float[] scales = new float[max.length];
        for (int o = 0; o < max.length; o++) {
            float s = max[o] / maxLevel;
            scales[o] = s >= Float.MIN_NORMAL ? s : 1f;
        }
        byte[] levels = new byte[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double q = Math.rint(weights[i] / (double) scales[WeightIndex.outChannel(spec, i)]);
            levels[i] = (byte) Math.max(-maxLevel, Math.min(maxLevel, q));
        }
        return new QuantizedWeights(levels, scales, maxLevel);
    }

    /** @return the levels, in the caller's layout (not a copy: do not modify) */
    public byte[] levels() {
        return levels;
    }

    /** @return the per-output-channel scales (not a copy: do not modify) */
    public float[] scales() {
        return scales;
    }

    /** @return {@code L}, the largest level used */
    public int maxLevel() {
        return maxLevel;
    }
}
