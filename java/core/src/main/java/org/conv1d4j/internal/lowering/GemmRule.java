package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;

/**
 * Which calls run on {@link NcwStrategy#GEMM}, and in which form: NCW float32 forward convs with groups 1 and no
 * activation, asked for explicitly, or chosen by {@link NcwStrategy#AUTO} when width buckets are on and either
 * {@code 4 C_in K <= C_out} (the column copy) or the stride is 1, the padding zeros, {@code C_in >= 16} and
 * {@code K <= 11} (shifted taps). Measured (AMD EPYC, avx512_core_bf16):
 * <ul>
 *   <li>Column copy: the bucket path crops the output with a copy of all {@code C_out * OW} floats, which for
 *   wav2vec 2.0's first layer (C_in 1, K 10, C_out 512) cost several times the conv, while the gemm writes the
 *   caller's rows once and copies {@code C_in K + 1} floats per output column. That copy grows with {@code C_in K}:
 *   against the bucket primitive the gemm took 0.45-0.64x the time where {@code C_in K / C_out} was 0.02-0.125 and
 *   1.0-4.7x where it was 0.5-3 (SincNet's 1 -> 80, K 251: 2.7x).</li>
 *   <li>Shifted taps copy nothing and waste no column: on streams of random widths in {@code [W, 2W]} they took
 *   0.50-1.01x the time of the bucket primitive on fifteen shapes with {@code C_in} 16-512 and K 1-11 (S1, 64 -> 64,
 *   K 3: 0.72x; S2, 256 -> 256, K 3, N 8: 0.76x), and 0.85-1.12x the exact primitive's at a fixed width; with
 *   {@code C_in} 8 and K 7, 1.23x at a fixed width. Each tap reads and writes the whole output, so wide kernels
 *   lose: 0.93-1.48x at K 15-51 (C_in 32, K 15: 1.40x; C_in 16, K 51: 1.48x).</li>
 * </ul>
 * Pure Java.
 */
public final class GemmRule {
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;
    /** The fewest input channels for which {@code AUTO} takes shifted taps: each tap's gemm reduces over them. */
    private static final int SHIFTED_MIN_IN_CHANNELS = 16;
    /** The widest kernel for which {@code AUTO} takes shifted taps: each tap reads and writes the whole output. */
    private static final int SHIFTED_MAX_KERNEL = 11;

    private GemmRule() {
    }

    /**
     * @param spec the op
     * @param precision its precision
     * @return why {@code spec} cannot run on the gemm, or {@code null} where it can
     */
    public static String unsupported(Conv1dSpec spec, Precision precision) {
        if (spec.op() != Op.CONV1D) {
            return "it is a transposed conv";
        }
        if (spec.groups() != 1) {
            return "it has " + spec.groups() + " groups";
        }
        if (precision != Precision.F32) {
            return "it runs in " + precision;
        }
        if (spec.activation() != Activation.NONE) {
            return "it has an activation (" + spec.activation() + ")";
        }
        return null;
    }

    /**
     * @param spec the op
     * @param options its options
     * @return whether the op's calls run on the gemm (subject to {@link #fits})
     */
    public static boolean chosen(Conv1dSpec spec, Conv1dOptions options) {
        if (options.engine() == Engine.REFERENCE || spec.layout() != Layout.NCW
                || unsupported(spec, options.precision()) != null) {
            return false;
        }
        return options.ncwStrategy() == NcwStrategy.GEMM || (options.ncwStrategy() == NcwStrategy.AUTO
                && !options.widthBuckets().isExact()
                && (narrow(spec) || (shifted(spec) && spec.inChannels() >= SHIFTED_MIN_IN_CHANNELS
                && spec.kernelSize() <= SHIFTED_MAX_KERNEL)));
    }

    /**
     * @param spec an op the gemm runs
     * @return whether it runs as shifted taps ({@code K} gemms reading the input in place, each over the output
     *     columns whose tap lies in the input), which takes stride 1 and zero padding, rather than on a column copy,
     *     which the op takes where {@code 4 C_in K <= C_out} or the taps cannot shift
     */
    public static boolean shifted(Conv1dSpec spec) {
        return spec.stride() == 1 && spec.paddingMode() == PaddingMode.ZEROS && !narrow(spec);
    }

    private static boolean narrow(Conv1dSpec spec) {
        return 4L * spec.inChannels() * spec.kernelSize() <= spec.outChannels();
    }

    /**
     * @param spec an op on the column copy
     * @return the gemm's reduction length {@code C_in * K}, plus 1 for the bias
     */
    public static int terms(Conv1dSpec spec) {
        return spec.inChannels() * spec.kernelSize() + (spec.hasBias() ? 1 : 0);
    }

    /**
     * @param spec the op
     * @param g a call's geometry
     * @return whether the call's column copy, {@code OW * terms} floats, fits a buffer (else it runs on a primitive);
     *     shifted taps copy no columns
     */
    public static boolean fits(Conv1dSpec spec, Geometry g) {
        return shifted(spec) || (long) g.outWidth() * terms(spec) <= MAX_ELEMENTS;
    }
}
