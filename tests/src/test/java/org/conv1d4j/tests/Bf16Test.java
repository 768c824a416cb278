package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Precision#BF16} on random specs of every kind, 2D and 1D, against the exact reference with the bf16 bound
 * of {@link CrossCheck} (inputs and weights rounded to 8 significant bits, float32 accumulation), arrays and
 * buffers alike; and the bound is not vacuous: the float32 bound rejects bf16 results.
 */
class Bf16Test {
    static LongStream seeds() {
        return LongStream.range(0, 540);
    }

    @ParameterizedTest(name = "bf16 {0}")
    @MethodSource("seeds")
    @SuppressWarnings("EnumOrdinal") // the seed picks the kind by index on purpose
    void matchesTheReferenceWithinTheBf16Bound(long seed) {
        RandomCase.Kind kind = RandomCase.Kind.values()[(int) (seed % RandomCase.Kind.values().length)];
        RandomCase c = RandomCase.draw(kind, 3_000_000 + seed);
        CrossCheck check = new CrossCheck(c.spec(), c.weights(), c.bias(), Precision.BF16);
        for (Engine e : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D}) {
            Conv1dOptions options = Conv1dOptions.defaults().withEngine(e).withPrecision(Precision.BF16);
            try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), options)) {
                float[] y = op.forward(c.input(), c.batch(), c.width());
                CrossCheck.Report r = check.compare(y, c.input(), c.batch(), c.width());
                assertTrue(r.passed(), e + " bf16 " + c + ": " + r);
                assertArrayEquals(y, PropertyTest.viaBuffers(op, c), e + " buffers vs arrays, " + c);
            }
        }
    }

    @Test
    void theFloat32BoundWouldRejectBf16Results() {
        RandomCase c = RandomCase.draw(RandomCase.Kind.FORWARD, 7);
        Conv1dOptions options = Conv1dOptions.defaults().withPrecision(Precision.BF16);
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), options)) {
            float[] y = op.forward(c.input(), c.batch(), c.width());
            assertFalse(new CrossCheck(c.spec(), c.weights(), c.bias()).compare(y, c.input(), c.batch(), c.width())
                    .passed(), "bf16 rounding should exceed the float32 bound: the test would prove nothing");
        }
    }
}
