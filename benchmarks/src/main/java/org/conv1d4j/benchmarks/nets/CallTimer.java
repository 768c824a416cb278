package org.conv1d4j.benchmarks.nets;

import java.util.Arrays;

/**
 * The median time of one call: a warm-up of a fifth of the budget, then samples of enough back-to-back calls to last
 * about a millisecond each, until the budget is spent and at least {@code minSamples} samples are taken.
 */
final class CallTimer {
    private CallTimer() {
    }

    /**
     * @param call the call
     * @param budgetSeconds the time to spend
     * @param minSamples the fewest samples
     * @return the median per-call time in milliseconds
     */
    static double medianMs(Runnable call, double budgetSeconds, int minSamples) {
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
        return median(Arrays.copyOf(samples, n));
    }

    /**
     * @param values at least one value (reordered)
     * @return their median (the mean of the middle two for an even count)
     */
    static double median(double[] values) {
        Arrays.sort(values);
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
