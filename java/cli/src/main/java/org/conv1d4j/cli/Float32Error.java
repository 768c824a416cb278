package org.conv1d4j.cli;

import org.conv1d4j.NetCrossCheck;

import java.util.Locale;

/**
 * How far a low-precision (bf16 or int8) result is from the float32 one: measured, not bounded, so printed beside the
 * cross-check rather than judged. The figures are {@link NetCrossCheck#snrDb} and the largest error relative to the
 * largest magnitude, as {@link NetCrossCheck.LayerError} defines them for networks.
 */
final class Float32Error {
    private Float32Error() {
    }

    /**
     * @param f32 the float32 result
     * @param y the low-precision result of the same input, same layout
     * @return e.g. {@code SNR 41.2 dB, max relative error 1.23e-02}
     */
    static String of(float[] f32, float[] y) {
        return String.format(Locale.ROOT, "SNR %.1f dB, max relative error %.2e", NetCrossCheck.snrDb(f32, y),
                maxRelative(f32, y));
    }

    /** @return {@code max |y - f| / max |f|} ({@code max |y - f|} where {@code f} is all zeros) */
    static double maxRelative(float[] f32, float[] y) {
        double err = 0;
        double mag = 0;
        for (int i = 0; i < f32.length; i++) {
            err = Math.max(err, Math.abs((double) y[i] - f32[i]));
            mag = Math.max(mag, Math.abs(f32[i]));
        }
        return mag > 0 ? err / mag : err;
    }
}
