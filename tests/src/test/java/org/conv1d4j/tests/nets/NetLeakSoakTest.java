package org.conv1d4j.tests.nets;

import org.bytedeco.javacpp.Pointer;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reduced soak for networks (CI): hundreds of load/forward/close cycles, and one network asked for more widths than
 * it caches (so plans are evicted and rebuilt), leave native memory flat: JavaCPP's allocations return to their
 * baseline and the resident memory grows by far less than a leaked plan per cycle would add (each plan holds every
 * primitive, weights reordered, an arena and a scratchpad: hundreds of KiB for the TCN case).
 */
class NetLeakSoakTest {
    private static final int CYCLES = Integer.getInteger("conv1d4j.soak.netCycles", 600);
    private static final long RSS_BOUND = 48L << 20;

    @Test
    void loadForwardCloseAndPlanEvictionKeepNativeMemoryFlat() throws IOException {
        byte[] model = Files.readAllBytes(NetCases.file("tcn", "model.onnx"));
        Random r = new Random(11);
        cycle(model, r, 30); // warm up allocators, the JIT and oneDNN's caches
        settle();
        long javacppBefore = Pointer.totalBytes();
        long rssBefore = Pointer.physicalBytes();
        cycle(model, r, CYCLES);
        try (Conv1dNet net = Conv1dNet.load(model, NetOptions.defaults().withLayout(Layout.NWC))) {
            int c = net.graph().inputChannels();
            for (int i = 0; i < 400; i++) {
                int w = 40 + i % 24; // 24 widths against 8 cached plans
                net.forward(NetEngineTest.gaussian(r, c * w), 1, w);
            }
        }
        settle();
        long javacppAfter = Pointer.totalBytes();
        long rssAfter = Pointer.physicalBytes();
        System.out.printf("net soak: %d cycles; JavaCPP bytes %d -> %d; RSS %d MiB -> %d MiB%n", CYCLES,
                javacppBefore, javacppAfter, rssBefore >> 20, rssAfter >> 20);
        assertTrue(javacppAfter <= javacppBefore, "JavaCPP allocations grew: " + javacppBefore + " -> " + javacppAfter);
        assertTrue(rssAfter - rssBefore <= RSS_BOUND, "RSS grew by " + ((rssAfter - rssBefore) >> 20) + " MiB");
    }

    private static void cycle(byte[] model, Random r, int n) {
        for (int i = 0; i < n; i++) {
            try (Conv1dNet net = Conv1dNet.load(model)) {
                int w = 50 + i % 3;
                net.forward(NetEngineTest.gaussian(r, 2 * net.graph().inputChannels() * w), 2, w);
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
