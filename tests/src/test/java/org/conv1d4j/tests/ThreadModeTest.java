package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.nativeconfig.OmpThreads;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Throughput mode ({@code threadsPerCall} 1) and latency mode (0) compute the same answers; a throughput call
 * leaves its thread at one OpenMP thread and a latency op used afterwards on that thread puts the default back.
 */
class ThreadModeTest {
    private static final Conv1dSpec SPEC = Conv1dSpec.builder(32, 48, 5).padding(Padding.SAME).layout(Layout.NCW)
            .build();

    @Test
    void bothModesMatchTheReferenceAndSetTheCallersThreadCount() throws Exception {
        Random r = new Random(9);
        float[] w = RandomCase.uniform(r, SPEC.weightCount(), 0.2f);
        float[] b = RandomCase.uniform(r, 48, 0.1f);
        float[] x = RandomCase.uniform(r, 2 * 32 * 300, 1);
        CrossCheck check = new CrossCheck(SPEC, w, b);
        ExecutorService pool = Executors.newSingleThreadExecutor(); // one fresh thread for the whole sequence
        try (Conv1d throughput = Conv1d.create(SPEC, w, b, Conv1dOptions.defaults().withThreadsPerCall(1));
             Conv1d latency = Conv1d.create(SPEC, w, b, Conv1dOptions.defaults())) {
            Future<?> done = pool.submit(() -> {
                int defaults = OmpThreads.defaultThreads();
                assertTrue(check.check(throughput, x, 2, 300).passed());
                assertEquals(1, OmpThreads.forThisThread());
                assertTrue(check.check(latency, x, 2, 300).passed());
                assertEquals(defaults, OmpThreads.forThisThread());
                assertTrue(check.check(throughput, x, 2, 300).passed());
                assertEquals(1, OmpThreads.forThisThread());
                return null;
            });
            done.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void badThreadCountsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Conv1dOptions.defaults().withThreadsPerCall(-1));
        assertThrows(IllegalArgumentException.class, () -> Conv1dOptions.defaults().withThreadsPerCall(5000));
    }
}
