package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Precision;

import java.util.EnumSet;
import java.util.Set;

/**
 * Says once per process and precision, through {@link System.Logger}, when an op asks for a precision this CPU has no
 * instructions for, and what that means: bf16 is emulated, correct but slower than f32 (it ran 5-7x slower on
 * {@code avx512_core_vnni}); int8 without VNNI sums pairs of products in 16 bits, so the weights get 7 bits.
 */
final class EmulationWarning {
    private static final Set<Precision> WARNED = EnumSet.noneOf(Precision.class);

    private EmulationWarning() {
    }

    static void warnOnce(Precision precision, String isa) {
        if (precision.isNativeOn(isa)) {
            return;
        }
        synchronized (WARNED) {
            if (!WARNED.add(precision)) {
                return;
            }
        }
        System.getLogger("org.conv1d4j").log(System.Logger.Level.WARNING, message(precision, isa));
    }

    static String message(Precision precision, String isa) {
        if (precision == Precision.INT8) {
            return "conv1d4j: INT8 runs without VNNI on this CPU (oneDNN ISA " + isa + "): oneDNN adds pairs of u8 x s8 "
                    + "products in 16 bits before the 32-bit sum, so the weights are quantized to 7 bits (levels "
                    + "-63..63, not -127..127); results match the int8 reference, with a coarser weight step";
        }
        return "conv1d4j: " + precision + " is emulated on this CPU (oneDNN ISA " + isa + "): results are right but "
                + "slower than F32";
    }
}
