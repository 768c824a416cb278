package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Engine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Randomized properties: for 1000 random specs of each kind, oneDNN 2D and oneDNN 1D agree with the reference
 * within the cross-check's derived bound, and the direct-buffer path (at a non-zero position) gives exactly
 * the array path's result.
 */
class PropertyTest {
    static final int SPECS = 1000;

    static LongStream seeds() {
        return LongStream.range(0, SPECS);
    }

    @ParameterizedTest(name = "forward {0}")
    @MethodSource("seeds")
    void forward(long seed) {
        check(RandomCase.draw(RandomCase.Kind.FORWARD, seed));
    }

    @ParameterizedTest(name = "padding mode {0}")
    @MethodSource("seeds")
    void paddingModes(long seed) {
        check(RandomCase.draw(RandomCase.Kind.PADDING_MODES, 1_000_000 + seed));
    }

    @ParameterizedTest(name = "transposed {0}")
    @MethodSource("seeds")
    void transposed(long seed) {
        check(RandomCase.draw(RandomCase.Kind.TRANSPOSED, 2_000_000 + seed));
    }

    private static void check(RandomCase c) {
        CrossCheck check = new CrossCheck(c.spec(), c.weights(), c.bias());
        for (Engine e : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D}) {
            try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), e)) {
                float[] y = op.forward(c.input(), c.batch(), c.width());
                CrossCheck.Report r = check.compare(y, c.input(), c.batch(), c.width());
                assertTrue(r.passed(), e + " " + c + ": " + r);
                assertArrayEquals(y, viaBuffers(op, c), e + " buffers vs arrays, " + c);
            }
        }
    }

    /** Runs through direct buffers whose positions are not 0, to prove positions are honoured. */
    static float[] viaBuffers(Conv1d op, RandomCase c) {
        int out = c.batch() * c.spec().outChannels() * op.outputWidth(c.width());
        FloatBuffer in = ByteBuffer.allocateDirect((c.input().length + 3) * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        in.position(3);
        in.put(c.input()).position(3);
        FloatBuffer dst = ByteBuffer.allocateDirect((out + 5) * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        dst.position(5);
        op.forward(in, dst, c.batch(), c.width());
        float[] y = new float[out];
        dst.get(5, y);
        return y;
    }
}
