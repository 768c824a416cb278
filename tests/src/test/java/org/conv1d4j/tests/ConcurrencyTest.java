package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Padding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Threads sharing one op get exactly the single-threaded result. Each (batch, width) is computed first on one
 * thread; then 8 threads x {@code conv1d4j.stress.calls} calls (10^4 by default) run mixed batch sizes and widths
 * on the same op, alternating the array and the direct-buffer overloads, with a small plan cache so that plans are
 * evicted and rebuilt while others run, and compare bit for bit.
 */
class ConcurrencyTest {
    private static final int CALLS = Integer.getInteger("conv1d4j.stress.calls", 10_000);

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"ONEDNN_2D", "ONEDNN_1D"})
    void sharedOpGivesSingleThreadResults(Engine engine) throws Exception {
        Conv1dSpec spec = Conv1dSpec.builder(16, 24, 5).padding(Padding.SAME).groups(2).layout(Layout.NWC).build();
        Random r = new Random(7);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.3f);
        float[] b = RandomCase.uniform(r, 24, 0.1f);
        int[][] shapes = {{1, 33}, {2, 64}, {3, 17}, {1, 128}, {4, 9}, {2, 200}};
        float[][] inputs = new float[shapes.length][];
        float[][] expected = new float[shapes.length][];
        try (Conv1d op = Conv1d.create(spec, w, b, Conv1dOptions.defaults().withEngine(engine).withCacheCapacity(3))) {
            for (int i = 0; i < shapes.length; i++) {
                inputs[i] = RandomCase.uniform(r, shapes[i][0] * 16 * shapes[i][1], 1);
                expected[i] = op.forward(inputs[i], shapes[i][0], shapes[i][1]);
            }
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random tr = new Random(seed);
                    FloatBuffer[] in = new FloatBuffer[shapes.length];
                    FloatBuffer[] out = new FloatBuffer[shapes.length];
                    for (int i = 0; i < shapes.length; i++) {
                        in[i] = direct(inputs[i].length).put(0, inputs[i]);
                        out[i] = direct(expected[i].length);
                    }
                    float[] y = new float[Arrays.stream(expected).mapToInt(e -> e.length).max().orElseThrow()];
                    int checked = 0;
                    for (int call = 0; call < CALLS; call++) {
                        int i = tr.nextInt(shapes.length);
                        if (call % 2 == 0) {
                            assertArrayEquals(expected[i], op.forward(inputs[i], shapes[i][0], shapes[i][1]),
                                    "thread " + seed + " call " + call);
                        } else {
                            op.forward(in[i], out[i], shapes[i][0], shapes[i][1]);
                            out[i].get(0, y, 0, expected[i].length);
                            assertArrayEquals(expected[i], Arrays.copyOf(y, expected[i].length),
                                    "thread " + seed + " call " + call + " (buffers)");
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            System.out.printf("%s: %d threads x %d calls, all bit-identical%n", engine, threads, CALLS);
            assertEquals(threads * CALLS, total);
        }
    }

    private static FloatBuffer direct(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
