package org.conv1d4j.internal.onednn;

import org.conv1d4j.nativeconfig.OmpThreads;

/**
 * Gives oneDNN work the op's OpenMP thread count on the calling thread. A primitive fixes its thread count from
 * the building thread's {@code omp_get_max_threads()}, and some parallel loops read it at execution, so the count is
 * set before both. It is left set afterwards: a thread that keeps calling ops of one mode pays one native call per
 * call to check it. Ops in the default mode (0) touch nothing until some op has changed a count.
 */
final class ThreadCount {
    private final int threads;

    /**
     * @param threads 0 for OpenMP's default, else the count
     * @throws IllegalArgumentException when a count is asked for and this platform cannot set it
     */
    ThreadCount(int threads) {
        if (threads > 0 && !OmpThreads.available()) {
            throw new IllegalArgumentException("threadsPerCall: per-thread OpenMP control is not available here ("
                    + "it is built for linux-x86_64); use 0");
        }
        this.threads = threads;
    }

    /** Sets the calling thread's count to this op's, if it differs. */
    void apply() {
        if (threads == 0 && !OmpThreads.loaded()) {
            return;
        }
        int want = threads == 0 ? OmpThreads.defaultThreads() : threads;
        if (OmpThreads.forThisThread() != want) {
            OmpThreads.setForThisThread(want);
        }
    }
}
