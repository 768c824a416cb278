package org.conv1d4j.tests;

import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reduced soak (CI): thousands of create/forward/close cycles and tens of thousands of calls leave native
 * memory flat. JavaCPP's own allocations ({@link Pointer#totalBytes()}) must return to their baseline, and the
 * process's resident memory ({@link Pointer#physicalBytes()}, which also sees oneDNN's allocations) may not grow
 * by more than a bound far below what a per-cycle leak of one plan would add (each cycle builds one primitive,
 * scratchpad, weights and staging buffers: tens of KiB; 3000 cycles would leak tens of MiB).
 */
class LeakSoakTest {
    private static final int CYCLES = Integer.getInteger("conv1d4j.soak.cycles", 20_000);
    private static final int CALLS = Integer.getInteger("conv1d4j.soak.calls", 200_000);
    private static final long RSS_BOUND = 48L << 20;

    @Test
    void createCloseAndForwardKeepNativeMemoryFlat() {
        Conv1dSpec spec = Conv1dSpec.builder(16, 16, 5).padding(Padding.SAME).paddingMode(PaddingMode.REFLECT)
                .layout(Layout.NWC).build();
        Random r = new Random(3);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.2f);
        float[] b = RandomCase.uniform(r, 16, 0.1f);
        float[] x = RandomCase.uniform(r, 2 * 16 * 64, 1);
        cycle(spec, w, b, x, 300); // warm up allocators, JIT and oneDNN's caches
        settle();
        long javacppBefore = Pointer.totalBytes();
        long rssBefore = Pointer.physicalBytes();
        cycle(spec, w, b, x, CYCLES);
        int[][] shapes = {{2, 64}, {1, 32}, {1, 64}};
        float[][] inputs = new float[shapes.length][];
        for (int s = 0; s < shapes.length; s++) {
            inputs[s] = RandomCase.uniform(r, shapes[s][0] * 16 * shapes[s][1], 1);
        }
        try (Conv1d op = Conv1d.create(spec, w, b)) {
            for (int i = 0; i < CALLS; i++) {
                int s = i % shapes.length;
                op.forward(inputs[s], shapes[s][0], shapes[s][1]);
            }
        }
        settle();
        long javacppAfter = Pointer.totalBytes();
        long rssAfter = Pointer.physicalBytes();
        System.out.printf("soak: %d cycles, %d calls; JavaCPP bytes %d -> %d; RSS %d MiB -> %d MiB%n", CYCLES, CALLS,
                javacppBefore, javacppAfter, rssBefore >> 20, rssAfter >> 20);
        assertTrue(javacppAfter <= javacppBefore, "JavaCPP allocations grew: " + javacppBefore + " -> " + javacppAfter);
        assertTrue(rssAfter - rssBefore <= RSS_BOUND, "RSS grew by " + ((rssAfter - rssBefore) >> 20) + " MiB");
    }

    private static void cycle(Conv1dSpec spec, float[] w, float[] b, float[] x, int n) {
        int checkpoint = Math.max(1, n / 10);
        for (int i = 1; i <= n; i++) {
            try (Conv1d op = Conv1d.create(spec, w, b)) {
                op.forward(x, 2, 64);
            }
            if (n >= 10_000 && i % checkpoint == 0) {
                System.out.printf("soak: cycle %d, JavaCPP bytes %d, RSS %d MiB%n", i, Pointer.totalBytes(),
                        Pointer.physicalBytes() >> 20);
            }
        }
    }

    private static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Pointer.deallocateReferences();
        }
        Pointer.trimMemory();
    }
}
