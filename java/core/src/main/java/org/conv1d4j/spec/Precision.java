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
    BF16,
    /**
     * int8: the input quantized per tensor to unsigned 8-bit levels ({@link Quantization}, from a
     * {@link Calibration} or given), the weights quantized once per output channel to signed levels
     * {@code rint(w / s_o)} with {@code s_o = max|w_o| / L} ({@code L} 127 where the CPU has VNNI, else 63 so that
     * oneDNN's pairwise 16-bit sums cannot saturate), products summed exactly in 32-bit integers, then
     * {@code acc * s_x * s_o + bias} and the activation in float32. The reference engine computes the same integers
     * and the same epilogue, so the two agree to the epilogue's rounding; the error against float32 is the
     * quantization's, reported, not bounded. oneDNN runs it on VNNI or AMX instructions where the CPU has them.
     */
    INT8;

    /**
     * Whether a CPU whose oneDNN ISA (as {@code conv1d4j info} prints it, {@code dnnl::get_effective_cpu_isa}) is
     * {@code isa} has instructions for this precision, or oneDNN emulates it. bf16 is native from
     * {@code avx512_core_bf16} on (every AMX and AVX10 level included) and on {@code avx2_vnni_2}; on plain
     * {@code avx512_core} or {@code avx512_core_vnni} oneDNN emulates it, and it ran 5-7x slower than f32 there.
     * int8 is native where the CPU has VNNI dot products ({@code *_vnni}, {@code avx512_core_bf16} and every AMX and
     * AVX10 level); without them oneDNN multiplies pairs into 16-bit sums first.
     *
     * @param isa oneDNN's name of the effective ISA, e.g. {@code avx512_core_vnni}
     * @return true where this precision runs on the CPU's own instructions
     * @throws IllegalArgumentException when {@code isa} is null
     */
    public boolean isNativeOn(String isa) {
        if (isa == null) {
            throw new IllegalArgumentException("isa: must not be null");
        }
        if (this == F32) {
            return true;
        }
        String name = isa.toLowerCase(java.util.Locale.ROOT);
        if (this == INT8) {
            return name.contains("vnni") || name.contains("bf16") || name.contains("amx") || name.startsWith("avx10");
        }
        return name.contains("bf16") || name.contains("amx") || name.startsWith("avx10") || name.equals("avx2_vnni_2");
    }

    /**
     * The largest level of int8 weights on a CPU: 127 where it has VNNI dot products; without them oneDNN first adds
     * pairs of u8 x s8 products in 16 bits, which {@code 255 * 127 * 2} would overflow, so 63 there.
     *
     * @param isa oneDNN's name of the effective ISA
     * @return 127 or 63
     * @throws IllegalArgumentException when {@code isa} is null
     */
    public static int int8WeightLevel(String isa) {
        return INT8.isNativeOn(isa) ? 127 : 63;
    }

    /**
     * @return the unit roundoff of rounding an input or weight to this precision (float32 and bf16); int8 rounds to
     *     a step that depends on the data, not to a relative precision, so it has none
     * @throws UnsupportedOperationException for {@link #INT8}
     */
    public double inputRoundoff() {
        if (this == INT8) {
            throw new UnsupportedOperationException("int8 has no relative roundoff: its error depends on the scales");
        }
        return this == BF16 ? 0x1p-8 : 0;
    }
}
