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
                NetCrossCheck.maxRelativeError(f32, y));
    }
}
