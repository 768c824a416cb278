package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Precision;

/**
 * Which calls run on {@link NcwStrategy#GEMM}: NCW float32 forward convs with groups 1 and no activation, asked for
 * explicitly, or chosen by {@link NcwStrategy#AUTO} when width buckets are on and {@code 4 C_in K <= C_out}. There
 * the bucket path crops the output with a copy of all {@code C_out * OW} floats, which for wav2vec 2.0's first layer
 * (C_in 1, K 10, C_out 512) cost several times the conv, while the gemm writes the caller's rows once and copies
 * {@code C_in K + 1} floats per output column. The Java copy grows with {@code C_in K}: measured against the bucket
 * primitive, the gemm took 0.45-0.64x the time where {@code C_in K / C_out} was 0.02-0.125 and 1.0-4.7x where it
 * was 0.5-3 (SincNet's 1 -> 80, K 251: 2.7x). Pure Java.
 */
public final class GemmRule {
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

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
                && 4L * spec.inChannels() * spec.kernelSize() <= spec.outChannels());
    }

    /**
     * @param spec the op
     * @return the gemm's reduction length {@code C_in * K}, plus 1 for the bias
     */
    public static int terms(Conv1dSpec spec) {
        return spec.inChannels() * spec.kernelSize() + (spec.hasBias() ? 1 : 0);
    }

    /**
     * @param spec the op
     * @param g a call's geometry
     * @return whether the call's column copy, {@code OW * terms} floats, fits a buffer (else it runs on a primitive)
     */
    public static boolean fits(Conv1dSpec spec, Geometry g) {
        return (long) g.outWidth() * terms(spec) <= MAX_ELEMENTS;
    }
}
