package org.conv1d4j.tests.nets;

import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Precision;

/**
 * The bound a network's output is held to against a float64 result rounded to float32, in the shared README's
 * measure {@code max |y - e| / (1 + |e|)}: the library's own per-channel bound ({@link NetCrossCheck#outputBound},
 * whose Javadoc derives it) for the engine, plus the expected file's rounding {@code u |e|}; dividing by
 * {@code 1 + |e| >= 1}, the measure is at most {@code max_c E[c] + u}.
 */
final class ErrorBound {
    static final double U = Math.ulp(1.0f) / 2;

    private ErrorBound() {
    }

    /** The reference engine's bound. */
    static double of(NetGraph graph, float[] input, int batch, int width) {
        return of(graph, input, batch, width, false);
    }

    /** The bound of the oneDNN chain ({@code floatSums}) or of the reference. */
    static double of(NetGraph graph, float[] input, int batch, int width, boolean floatSums) {
        double[] e = NetCrossCheck.outputBound(graph, input, batch, width,
                floatSums ? Engine.ONEDNN_2D : Engine.REFERENCE, Precision.F32);
        double max = 0;
        for (double v : e) {
            max = Math.max(max, v);
        }
        return max + U;
    }
}
