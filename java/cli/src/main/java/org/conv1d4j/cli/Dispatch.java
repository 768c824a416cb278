package org.conv1d4j.cli;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What oneDNN does with a precision on this CPU, for {@code info} and {@code explain}: the kernel it picks for a
 * representative conv, and in plain words whether the CPU has instructions for it or oneDNN works around their
 * absence.
 */
final class Dispatch {
    /** The representative conv: S1 of the suite, 64 -> 64 channels, K 3, same, NCW. */
    static final Conv1dSpec REPRESENTATIVE = Conv1dSpec.builder(64, 64, 3).padding(Padding.SAME).build();
    /** Its batch. */
    static final int BATCH = 1;
    /** Its width. */
    static final int WIDTH = 128;

    private Dispatch() {
    }

    /**
     * @param p a precision
     * @return the implementation oneDNN picks for {@link #REPRESENTATIVE} in {@code p} (int8 with a unit quantization),
     *     or {@code none} where oneDNN has no convolution for it on this ISA
     */
    static String kernel(Precision p) {
        Conv1dOptions options = p == Precision.INT8 ? Conv1dOptions.defaults().withInt8(new Quantization(1f, 0))
                : Conv1dOptions.defaults().withPrecision(p);
        float[] weights = new float[REPRESENTATIVE.weightCount()];
        try (Conv1d op = Conv1d.create(REPRESENTATIVE, weights, new float[REPRESENTATIVE.outChannels()], options)) {
            return op.describe(BATCH, WIDTH).orElseThrow().implementation();
        } catch (IllegalArgumentException e) { // oneDNN could not create the primitive
            return "none";
        }
    }

    /**
     * Runs {@code probe} with the library's logger ({@code System.Logger} "org.conv1d4j", backed by
     * {@code java.util.logging} in the CLI) silenced: creating an op in an emulated precision logs a warning, which
     * {@code info} states in its own words.
     *
     * @param probe what to run
     * @return its result
     */
    static String quietly(Supplier<String> probe) {
        Logger logger = Logger.getLogger("org.conv1d4j"); // held here: java.util.logging keeps loggers weakly
        Level level = logger.getLevel();
        logger.setLevel(Level.OFF);
        try {
            return probe.get();
        } finally {
            logger.setLevel(level);
        }
    }

    /**
     * @param p a precision
     * @param isa oneDNN's effective ISA
     * @return e.g. {@code native on avx512_core_vnni}, or what oneDNN does instead and what it costs
     */
    static String how(Precision p, String isa) {
        if (p.isNativeOn(isa)) {
            return "native on " + isa;
        }
        return "emulated on " + isa + switch (p) {
            case BF16 -> " (no bf16 instructions: slower than f32, use f32)";
            case INT8 -> " (no VNNI: pairwise 16-bit sums, 7-bit weights)";
            case F32 -> "";
        };
    }
}
