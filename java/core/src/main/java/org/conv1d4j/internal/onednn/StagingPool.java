package org.conv1d4j.internal.onednn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Native staging buffers for concurrent calls: a call takes one, grown to what it needs, and gives it back, so that
 * calls allocate only when they need more than any call before them (a batch run as one sequence stages its output
 * here).
 */
final class StagingPool {
    private final ArrayDeque<GrowingFloats> idle = new ArrayDeque<>();
    private final List<GrowingFloats> all = new ArrayList<>();

    /**
     * @param floats the floats the call needs
     * @return a buffer of at least {@code floats} floats, the caller's until {@link #give}
     */
    GrowingFloats take(long floats) {
        GrowingFloats f;
        synchronized (idle) {
            f = idle.pollFirst();
            if (f == null) {
                f = new GrowingFloats();
                all.add(f);
            }
        }
        return f.fit(floats);
    }

    /** @param f a buffer {@link #take} returned */
    void give(GrowingFloats f) {
        synchronized (idle) {
            idle.addFirst(f);
        }
    }

    /** Frees every buffer; only once no call runs. */
    void close() {
        synchronized (idle) {
            for (GrowingFloats f : all) {
                f.close();
            }
            all.clear();
            idle.clear();
        }
    }
}
