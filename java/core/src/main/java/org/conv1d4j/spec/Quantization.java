package org.conv1d4j.spec;

/**
 * How a float tensor is stored as unsigned 8-bit integers: {@code q = clamp(rint(x * (1 / scale) + zeroPoint), 0,
 * 255)}, every step in float32 (oneDNN's reorder computes exactly this; the reference engine repeats it), and
 * {@code x ~ (q - zeroPoint) * scale}. Values in {@code [-zeroPoint * scale, (255 - zeroPoint) * scale]} are kept
 * to within {@code scale / 2}; values outside saturate. Zero is always exact ({@code q = zeroPoint}), so zero
 * padding means the same before and after quantization.
 *
 * @param scale the step between two levels, a positive normal float
 * @param zeroPoint the level that stands for zero, 0..255
 */
public record Quantization(float scale, int zeroPoint) {
    /** The largest level of an unsigned 8-bit value. */
    public static final int MAX_LEVEL = 255;

    /**
     * Validates.
     *
     * @param scale the step between two levels, a positive normal float
     * @param zeroPoint the level that stands for zero, 0..255
     * @throws IllegalArgumentException naming the parameter that is wrong
     */
    public Quantization {
        if (!(scale >= Float.MIN_NORMAL) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("scale: must be a positive normal float, got " + scale);
        }
        if (zeroPoint < 0 || zeroPoint > MAX_LEVEL) {
            throw new IllegalArgumentException("zeroPoint: must be 0..255, got " + zeroPoint);
        }
    }

    /**
     * The quantization whose levels cover {@code [min, max]} widened to contain zero: {@code scale = (max - min) /
     * 255} and the zero point that puts zero on a level. A range of one point (all values zero) gets scale 1.
     *
     * @param min the smallest value to represent
     * @param max the largest value to represent
     * @return the quantization
     * @throws IllegalArgumentException when a bound is not finite or {@code min > max}
     */
    public static Quantization ofRange(float min, float max) {
        if (!Float.isFinite(min) || !Float.isFinite(max) || min > max) {
            throw new IllegalArgumentException("range: must be finite with min <= max, got [" + min + ", " + max + "]");
        }
        double lo = Math.min(0, min);
        double hi = Math.max(0, max);
        if (hi - lo < Float.MIN_NORMAL * (double) MAX_LEVEL) {
            return new Quantization(1f, 0);
        }
        float scale = (float) ((hi - lo) / MAX_LEVEL);
        int zero = (int) Math.max(0, Math.min(MAX_LEVEL, Math.rint(-lo / scale)));
        return new Quantization(scale, zero);
    }

    /**
     * @param x a value
     * @return its level, as oneDNN's reorder computes it (round half to even, saturated; NaN gives 0)
     */
    public int quantize(float x) {
        float v = x * (1f / scale) + (float) zeroPoint;
        return (int) Math.max(0, Math.min(MAX_LEVEL, Math.rint(v)));
    }

    /**
     * @param level a level
     * @return the value it stands for, {@code (level - zeroPoint) * scale}
     */
    public float dequantize(int level) {
        return (level - zeroPoint) * scale;
    }
}
