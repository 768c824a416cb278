package org.conv1d4j.tests;

import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Padding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Closing an op while other threads are inside {@code forward}, and forgetting to close one, are both safe: calls
 * in flight finish with the right answer, later calls throw {@link IllegalStateException}, and the garbage
 * collector frees a forgotten op's native objects.
 */
class LifecycleTest {
    private static final Conv1dSpec SPEC = Conv1dSpec.builder(64, 64, 3).padding(Padding.SAME).layout(Layout.NWC)
            .build();

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"ONEDNN_2D", "ONEDNN_1D"})
    void closeWhileOtherThreadsForwardNeitherCrashesNorCorrupts(Engine engine) throws Exception {
        Random r = new Random(5);
        float[] w = RandomCase.uniform(r, SPEC.weightCount(), 0.1f);
        float[] b = RandomCase.uniform(r, 64, 0.1f);
        float[] x = RandomCase.uniform(r, 64 * 128, 1);
        float[] expected;
        try (Conv1d op = Conv1d.create(SPEC, w, b, engine)) {
            expected = op.forward(x, 1, 128);
        }
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int calls = 0;
        try {
            for (int round = 0; round < 50; round++) {
                Conv1d op = Conv1d.create(SPEC, w, b, engine);
                CountDownLatch started = new CountDownLatch(threads);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    results.add(pool.submit(() -> {
                        started.countDown();
                        int ok = 0;
                        while (true) {
                            float[] y;
                            try {
                                y = op.forward(x, 1, 128);
                            } catch (IllegalStateException closed) {
                                return ok;
                            }
                            assertArrayEquals(expected, y, "a call that returned must be right");
                            ok++;
                        }
                    }));
                }
                started.await();
                Thread.sleep(round % 5);
                op.close();
                assertTrue(op.isClosed());
                for (Future<Integer> f : results) {
                    calls += f.get(1, TimeUnit.MINUTES); // every thread saw the close and stopped
                }
                op.close(); // a second close is a no-op
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(calls > 0, "forward calls ran while the ops were being closed");
    }

    @Test
    void forgottenOpsAreFreedByTheGarbageCollector() throws InterruptedException {
        Random r = new Random(6);
        float[] w = RandomCase.uniform(r, SPEC.weightCount(), 0.1f);
        float[] x = RandomCase.uniform(r, 64 * 32, 1);
        for (int i = 0; i < 20; i++) { // load natives, warm caches, leaving nothing to collect
            try (Conv1d op = Conv1d.create(SPEC, w, new float[64])) {
                op.forward(x, 1, 32);
            }
        }
        long pointersBefore = Pointer.totalCount();
        forget(w, x, 500);
        long leftBehind = Pointer.totalCount() - pointersBefore;
        assertTrue(leftBehind > 500, "each forgotten op holds native objects until collected: " + leftBehind);
        long remaining = settle(pointersBefore);
        System.out.printf("cleaner: 500 forgotten ops held %d native objects; %d left after GC%n", leftBehind,
                remaining - pointersBefore);
        assertTrue(remaining <= pointersBefore, "native objects of forgotten ops were not freed: " + remaining
                + " > " + pointersBefore);
    }

    /** Creates ops, runs each once and drops it without closing. */
    private static void forget(float[] w, float[] x, int n) {
        for (int i = 0; i < n; i++) {
            Conv1d op = Conv1d.create(SPEC, w, new float[64]);
            op.forward(x, 1, 32);
        }
    }

    /** Collects until JavaCPP tracks no more than {@code target} objects (or 30 s pass); returns the count. */
    private static long settle(long target) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long count;
        do {
            System.gc();
            Thread.sleep(20);
            count = Pointer.totalCount();
        } while (count > target && System.nanoTime() < deadline);
        return count;
    }
}
