package org.conv1d4j;

import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Precision;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Picks the fastest precision whose error stays within a tolerance, measured on calibration data on this CPU: each
 * of float32, bf16 and int8 (calibrated {@link Calibration#minMax()} on the samples) runs the samples; its error is
 * {@code max |y - ref| / max |ref|} against the reference engine in float32, its time the median of
 * {@value #TIMED_CALLS} calls after {@value #WARM_CALLS} warm-up calls. float32 is always a candidate, so there is
 * always a choice. Where oneDNN has no faster kernel for a lower precision (depthwise convs ran 2-3x slower in bf16
 * and int8 than in float32 on avx512_core_bf16), the choice stays float32; the candidates say why.
 */
public final class PrecisionChoice {
    /** Calls before timing. */
    public static final int WARM_CALLS = 3;
    /** Timed calls; the median counts. */
    public static final int TIMED_CALLS = 7;

    private PrecisionChoice() {
    }

    /**
     * One precision as measured.
     *
     * @param precision the precision
     * @param options the options that run it (with the int8 calibration)
     * @param maxRelativeError {@code max |y - ref| / max |ref|} on the samples
     * @param medianNanos the median time of one call on the samples
     * @param within whether the error is within the tolerance
     */
    public record Candidate(Precision precision, Conv1dOptions options, double maxRelativeError, long medianNanos,
                            boolean within) {
    }

    /**
     * The choice and what it was chosen from.
     *
     * @param chosen the fastest candidate within the tolerance
     * @param candidates every candidate, float32 first
     */
    public record Result(Candidate chosen, List<Candidate> candidates) {
        /**
         * Copies the list.
         *
         * @param chosen the fastest candidate within the tolerance
         * @param candidates every candidate
         */
        public Result {
            candidates = List.copyOf(candidates);
        }
    }

    /**
     * Measures float32, bf16 and int8 for an op on calibration samples and picks the fastest within
     * {@code tolerance}.
     *
     * @param spec the op
     * @param weights its weights
     * @param bias its bias or {@code null}
     * @param base the other options (engine, layout strategy, threads, buckets); a oneDNN engine
     * @param samples representative inputs, {@code batch * C_in * width} finite floats in the spec's layout
     * @param batch {@code N} of the samples
     * @param width {@code W} of the samples
     * @param tolerance the largest {@code max |y - ref| / max |ref|} accepted, in (0, 1)
     * @return the choice
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public static Result fastestWithin(Conv1dSpec spec, float[] weights, float[] bias, Conv1dOptions base,
                                       float[] samples, int batch, int width, double tolerance) {
        if (base == null || base.engine() == Engine.REFERENCE) {
            throw new IllegalArgumentException("base: must be options of a oneDNN engine");
        }
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance: must be in (0, 1), got " + tolerance);
        }
        float[] ref;
        try (Conv1d reference = Conv1d.create(spec, weights, bias, Engine.REFERENCE)) {
            ref = reference.forward(samples, batch, width); // checks spec, weights and samples
        }
        Conv1dOptions f32 = base.withPrecision(Precision.F32);
        List<Conv1dOptions> options = List.of(f32, f32.withPrecision(Precision.BF16),
                f32.withInt8(Calibration.minMax().of(samples)));
        List<Candidate> candidates = new ArrayList<>();
        Candidate best = null;
        for (Conv1dOptions o : options) {
            Candidate c = measure(spec, weights, bias, o, samples, batch, width, ref, tolerance);
            candidates.add(c);
            if (c.within() && (best == null || c.medianNanos() < best.medianNanos())) {
                best = c;
            }
        }
        if (best == null) { // float32 itself missed: the tolerance is below float32's own rounding
            best = candidates.get(0);
        }
        return new Result(best, candidates);
    }

    private static Candidate measure(Conv1dSpec spec, float[] weights, float[] bias, Conv1dOptions o,
                                     float[] samples, int batch, int width, float[] ref, double tolerance) {
        try (Conv1d op = Conv1d.create(spec, weights, bias, o)) {
            float[] y = new float[ref.length];
            for (int i = 0; i < WARM_CALLS; i++) {
                op.forward(samples, y, batch, width);
            }
            long[] t = new long[TIMED_CALLS];
            for (int i = 0; i < t.length; i++) {
                long start = System.nanoTime();
                op.forward(samples, y, batch, width);
                t[i] = System.nanoTime() - start;
            }
            Arrays.sort(t);
            double rel = NetCrossCheck.maxRelativeError(ref, y);
            return new Candidate(o.precision(), o, rel, t[t.length / 2], rel <= tolerance);
        }
    }
}
