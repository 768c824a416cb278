package org.conv1d4j.spec;

/**
 * What a oneDNN engine computes in. Inputs, weights and outputs stay {@code float[]}/{@code FloatBuffer} either way.
 */
public enum Precision {
    /** float32 throughout. */
    F32,
    /**
     * bfloat16 inputs and weights (rounded to nearest even, 8 significant bits, unit roundoff {@code 2^-8}),
     * float32 accumulation, bias, activation and output. The input is converted on every call (a oneDNN reorder),
     * the weights once. oneDNN runs native bf16 instructions on {@code avx512_core_bf16} and AMX CPUs and emulates
     * them on plain {@code avx512_core}. The reference engine always computes exactly.
     */
    BF16;

    /** @return the unit roundoff of rounding an input or weight to this precision */
    public double inputRoundoff() {
        return this == BF16 ? 0x1p-8 : 0;
    }
}
