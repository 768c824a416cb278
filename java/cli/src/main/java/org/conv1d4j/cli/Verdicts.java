package org.conv1d4j.cli;

import org.conv1d4j.spec.Precision;

/** How {@code check} and {@code explain} name what a result was compared with, per precision. */
final class Verdicts {
    private Verdicts() {
    }

    /**
     * @param p what the result was computed in
     * @return {@code vs reference} (f32), {@code bf16 vs reference} (the float reference, bf16's bound) or
     *     {@code int8 vs the int8 oracle} (the reference's same integers, the epilogue's bound)
     */
    static String against(Precision p) {
        return switch (p) {
            case F32 -> "vs reference";
            case BF16 -> "bf16 vs reference";
            case INT8 -> "int8 vs the int8 oracle";
        };
    }
}
