package org.conv1d4j.bench;

import java.util.Arrays;

/**
 * Times a call the way the CLI and the network rounds report it: warm up for a fifth of the budget, then samples of
 * enough back-to-back calls to last about a millisecond each, within the budget; the median and quartiles of the
 * per-call time.
 */
public final class Timer {
    private Timer() {
    }

    /**
     * @param medianMs median per-call time
     * @param q1Ms first quartile
     * @param q3Ms third quartile
     */
    public record Result(double medianMs, double q1Ms, double q3Ms) {
        /**
         * @param flops the floating-point operations of one call
         * @return GFLOP/s at the median time
         */
        public double gflops(double flops) {
            return flops / (medianMs * 1e6);
        }
    }

    /**
     * @param call the call
     * @param budgetSeconds the time to spend
     * @return median and quartiles, from at least 5 samples
     */
    public static Result measure(Runnable call, double budgetSeconds) {
        return measure(call, budgetSeconds, 5);
    }

    /**
     * As {@link #measure(Runnable, double)}, with at least {@code minSamples} samples (1 for slow calls).
     *
     * @param call the call
     * @param budgetSeconds the time to spend
     * @param minSamples the fewest samples
     * @return median and quartiles
     */
    public static Result measure(Runnable call, double budgetSeconds, int minSamples) {
        long budget = (long) (budgetSeconds * 1e9);
        long start = System.nanoTime();
        call.run();
        long one = Math.max(1, System.nanoTime() - start);
        while (System.nanoTime() - start < budget / 5) {
            call.run();
        }
        int reps = (int) Math.max(1, Math.min(10_000, 1_000_000L / one));
        double[] samples = new double[200];
        int n = 0;
        long t0 = System.nanoTime();
        while (n < samples.length && (n < minSamples || System.nanoTime() - t0 < budget)) {
            long s = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                call.run();
            }
            samples[n++] = (System.nanoTime() - s) / 1e6 / reps;
        }
        double[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return new Result(sorted[n / 2], sorted[n / 4], sorted[(3 * n) / 4]);
    }
}
