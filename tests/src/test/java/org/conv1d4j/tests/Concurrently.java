package org.conv1d4j.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs one task on several threads at once, as concurrent callers would, and fails with a thread's failure. */
public final class Concurrently {
    private Concurrently() {
    }

    /** One thread's work. */
    public interface Task {
        /**
         * @param thread the thread's index, from 0
         * @throws Exception what the thread fails with
         */
        void run(int thread) throws Exception;
    }

    /**
     * @param threads how many threads
     * @param task what each runs
     * @throws Exception the first failure, wrapped as {@link java.util.concurrent.ExecutionException}
     */
    public static void onThreads(int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    task.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
