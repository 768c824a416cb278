package org.conv1d4j.benchmarks;

import java.util.Random;
import java.util.function.IntUnaryOperator;

/**
 * The widths a variable-width benchmark cycles through, the same for every contender: {@code fixed} is the
 * workload's width {@code W} every call, {@code mid} the fixed width {@code 1.5 W} (the stream's mean, whose data
 * sizes match the stream's), {@code variable} {@value #LENGTH} widths drawn from {@code [W, 2W]} (seed 11), no
 * width twice in a row.
 */
public final class WidthStream {
    /** How many widths the stream cycles through. */
    public static final int LENGTH = 4096;

    private final int[] widths = new int[LENGTH];
    private final int min;
    private final int max;
    private int next;

    /**
     * @param width the workload's width {@code W}
     * @param kind {@code fixed}, {@code mid} or {@code variable}
     */
    public WidthStream(int width, String kind) {
        this.min = kind.equals("mid") ? width * 3 / 2 : width;
        this.max = kind.equals("variable") ? 2 * min : min;
        Random r = new Random(11);
        for (int i = 0; i < LENGTH; i++) {
            int w;
            do {
                w = min + r.nextInt(max - min + 1);
            } while (max > min && i > 0 && w == widths[i - 1]);
            widths[i] = w;
        }
    }

    /** @return the narrowest width of the stream */
    public int min() {
        return min;
    }

    /** @return the widest width of the stream */
    public int max() {
        return max;
    }

    /** @return the next width, cycling */
    public int next() {
        int w = widths[next];
        next = (next + 1) % LENGTH;
        return w;
    }

    /**
     * @param batch {@code N} of every call
     * @param outWidth the output width of an input width
     * @return the stream's mean output columns {@code N * OW} per call, so that fixed and variable widths compare
     *     per output column
     */
    public double meanOutputColumns(int batch, IntUnaryOperator outWidth) {
        long columns = 0;
        for (int w : widths) {
            columns += (long) batch * outWidth.applyAsInt(w);
        }
        return (double) columns / LENGTH;
    }
}
