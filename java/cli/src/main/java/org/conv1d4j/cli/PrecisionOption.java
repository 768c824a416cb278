package org.conv1d4j.cli;

import org.conv1d4j.spec.Precision;

import java.util.Locale;

/** {@code --precision}: what a oneDNN engine computes in, by the CLI's names {@code f32} and {@code bf16}. */
final class PrecisionOption {
    private PrecisionOption() {
    }

    /**
     * @param name {@code f32} or {@code bf16}, any case
     * @return the precision
     * @throws IllegalArgumentException (exit 2) naming the option for anything else
     */
    static Precision parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "f32" -> Precision.F32;
            case "bf16" -> Precision.BF16;
            case "int8" -> throw new IllegalArgumentException("precision: int8 is not implemented yet; use f32 or bf16");
            default -> throw new IllegalArgumentException("precision: unknown '" + name + "' (expected f32 or bf16)");
        };
    }
}
