package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Precision;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Says once per process, through {@link System.Logger}, when an op asks for a precision this CPU only emulates: on
 * such a CPU the op is correct but slower than f32 (bf16 ran 5-7x slower on {@code avx512_core_vnni}).
 */
final class EmulationWarning {
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private EmulationWarning() {
    }

    static void warnOnce(Precision precision, String isa) {
        if (!precision.isNativeOn(isa) && WARNED.compareAndSet(false, true)) {
            System.getLogger("org.conv1d4j").log(System.Logger.Level.WARNING, "conv1d4j: " + precision
                    + " is emulated on this CPU (oneDNN ISA " + isa + "): results are right but slower than F32");
        }
    }
}
