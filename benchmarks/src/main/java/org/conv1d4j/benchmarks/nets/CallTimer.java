package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.bench.Timer;
import java.util.Arrays;

/** The median time of one call ({@link Timer}'s), and the median of per-round ratios. */
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
        return Timer.measure(call, budgetSeconds, minSamples).medianMs();
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
