package org.conv1d4j.spec;

import java.util.Arrays;

/**
 * How an int8 quantization ({@link Quantization}) is chosen from representative values: the range of all of them
 * ({@link #minMax()}), or the range between two percentiles ({@link #percentile(double)}), which lets rare outliers
 * saturate so that the common values get finer steps. Immutable.
 */
public final class Calibration {
    private final double percent;

    private Calibration(double percent) {
        this.percent = percent;
    }

    /** @return the calibration over the whole range of the samples */
    public static Calibration minMax() {
        return new Calibration(100);
    }

    /**
     * The calibration over {@code [P(100 - percent), P(percent)]} of the samples, where {@code P(p)} is the value
     * below which {@code p} % of them lie (nearest rank).
     *
     * @param percent the upper percentile, in (50, 100]; e.g. 99.99
     * @return the calibration
     * @throws IllegalArgumentException when {@code percent} is outside (50, 100]
     */
    public static Calibration percentile(double percent) {
        if (!(percent > 50 && percent <= 100)) {
            throw new IllegalArgumentException("percent: must be in (50, 100], got " + percent);
        }
        return new Calibration(percent);
    }

    /** @return the upper percentile this calibration keeps (100 for min/max) */
    public double percent() {
        return percent;
    }

    /**
     * The quantization this calibration chooses for these samples.
     *
     * @param samples representative values, at least one, all finite
     * @return the quantization
     * @throws IllegalArgumentException when {@code samples} is null or empty or holds a NaN or an infinity (naming
     *     its index)
     */
    public Quantization of(float[] samples) {
        if (samples == null || samples.length == 0) {
            throw new IllegalArgumentException("samples: must hold at least one value");
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < samples.length; i++) {
            float v = samples[i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException("samples: value " + i + " is " + v + "; calibration needs finite "
                        + "values");
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (percent < 100) {
            float[] sorted = samples.clone();
            Arrays.sort(sorted);
            int hi = (int) Math.min(sorted.length - 1, Math.ceil(percent / 100 * sorted.length) - 1);
            int lo = sorted.length - 1 - hi;
            min = sorted[lo];
            max = sorted[hi];
        }
        return Quantization.ofRange(min, max);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Calibration c && Double.compare(c.percent, percent) == 0;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(percent);
    }

    @Override
    public String toString() {
        return percent == 100 ? "min/max" : "percentile " + percent;
    }
}
