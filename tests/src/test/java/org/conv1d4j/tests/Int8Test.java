package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;
import org.conv1d4j.spec.WidthBuckets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Precision#INT8} on random specs of every kind (forward, edge padding, transposed; grouped, depthwise,
 * strided, dilated; NCW and NWC; exact widths and width buckets), 2D and 1D, against the reference engine's int8
 * arithmetic with the epilogue bound of {@link CrossCheck#int8}: the same integers, so only the float32 epilogue's
 * rounding may differ. Calibrations alternate min/max and a percentile that saturates the tails, so clamping is
 * checked too. The bound is not vacuous: the float32 bound rejects int8 results.
 */
class Int8Test {
    static LongStream seeds() {
        return LongStream.range(0, 540);
    }

    @ParameterizedTest(name = "int8 {0}")
    @MethodSource("seeds")
    @SuppressWarnings("EnumOrdinal") // the seed picks the kind by index on purpose
    void matchesTheReferenceInt8Arithmetic(long seed) {
        RandomCase.Kind kind = RandomCase.Kind.values()[(int) (seed % RandomCase.Kind.values().length)];
        RandomCase c = RandomCase.draw(kind, 5_000_000 + seed);
        Calibration calibration = seed % 2 == 0 ? Calibration.minMax() : Calibration.percentile(99);
        Quantization q = calibration.of(otherSample(c.input(), seed));
        CrossCheck check = CrossCheck.int8(c.spec(), c.weights(), c.bias(), q);
        for (Engine e : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D}) {
            Conv1dOptions options = Conv1dOptions.defaults().withEngine(e).withInt8(q);
            if (seed % 3 == 0) {
                options = options.withWidthBuckets(WidthBuckets.defaults());
            }
            try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), options)) {
                float[] y = op.forward(c.input(), c.batch(), c.width());
                CrossCheck.Report r = check.compare(y, c.input(), c.batch(), c.width());
                assertTrue(r.passed(), e + " int8 " + q + " " + c + ": " + r);
                assertArrayEquals(y, PropertyTest.viaBuffers(op, c), e + " buffers vs arrays, " + c);
                assertArrayEquals(y, op.forward(c.input(), c.batch(), c.width()), e + " repeated call, " + c);
            }
        }
    }

    /** Samples of the input's distribution that are not the input: its values shuffled and jittered. */
    private static float[] otherSample(float[] input, long seed) {
        Random r = new Random(seed);
        float[] s = new float[Math.max(1, input.length)];
        for (int i = 0; i < s.length; i++) {
            s[i] = input.length == 0 ? 0 : input[r.nextInt(input.length)] * (float) (0.9 + 0.2 * r.nextDouble());
        }
        return s;
    }

    @Test
    void theFloat32BoundRejectsInt8Results() {
        RandomCase c = RandomCase.draw(RandomCase.Kind.FORWARD, 11);
        Quantization q = Calibration.minMax().of(c.input());
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), Conv1dOptions.defaults().withInt8(q))) {
            float[] y = op.forward(c.input(), c.batch(), c.width());
            assertTrue(CrossCheck.of(op, c.weights(), c.bias()).compare(y, c.input(), c.batch(), c.width()).passed());
            assertFalse(new CrossCheck(c.spec(), c.weights(), c.bias()).compare(y, c.input(), c.batch(), c.width())
                    .passed(), "int8 rounding should exceed the float32 bound: the test would prove nothing");
        }
    }

    @Test
    void aLargeLayerStaysCloseToFloat32() {
        Conv1dSpec spec = Conv1dSpec.builder(64, 64, 3).padding(org.conv1d4j.spec.Padding.SAME).bias(false).build();
        Random r = new Random(3);
        float[] w = gaussian(r, spec.weightCount(), 0.1f);
        float[] x = gaussian(r, 2 * 64 * 257, 1f);
        Quantization q = Calibration.minMax().of(gaussian(new Random(4), 2 * 64 * 257, 1f));
        try (Conv1d f32 = Conv1d.create(spec, w, null);
             Conv1d int8 = Conv1d.create(spec, w, null, Conv1dOptions.defaults().withInt8(q))) {
            float[] a = f32.forward(x, 2, 257);
            float[] b = int8.forward(x, 2, 257);
            double snr = NetCrossCheck.snrDb(a, b);
            // 8-bit input and weights, each about 8 bits of SNR-worth 6 dB a bit; min/max of a Gaussian wastes ~2
            assertTrue(snr > 30, "int8 SNR vs float32 " + snr + " dB");
        }
    }

    private static float[] gaussian(Random r, int n, float sigma) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian() * sigma;
        }
        return a;
    }

    @Test
    void calibrationEdgeCases() {
        Quantization constant = Calibration.minMax().of(new float[] {2.5f, 2.5f, 2.5f});
        assertEquals(0, constant.zeroPoint(), "a positive constant keeps zero on level 0");
        assertEquals(2.5f, constant.dequantize(constant.quantize(2.5f)), constant.scale() / 2);
        Quantization zeros = Calibration.minMax().of(new float[7]);
        assertEquals(0f, zeros.dequantize(zeros.quantize(0f)));
        Quantization negative = Calibration.minMax().of(new float[] {-4f, -1f});
        assertEquals(255, negative.zeroPoint(), "all-negative samples put zero on the top level");
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Calibration.minMax().of(new float[] {1f, Float.NaN}));
        assertTrue(nan.getMessage().contains("value 1 is NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Calibration.minMax().of(new float[0]));
        assertThrows(IllegalArgumentException.class, () -> Calibration.percentile(50));
        float[] outlier = new float[1000];
        Arrays.fill(outlier, 1f);
        outlier[0] = 1000f;
        assertTrue(Calibration.percentile(99).of(outlier).scale() < Calibration.minMax().of(outlier).scale() / 100,
                "a percentile ignores the outlier");
    }

    @Test
    void anAllZeroOutputChannelGivesItsBias() {
        Conv1dSpec spec = Conv1dSpec.builder(3, 2, 3).build();
        float[] w = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, -2, 3, 0.5f, 0.25f, -1, 2, 2, 2};
        float[] bias = {0.75f, -0.5f};
        float[] x = new float[3 * 11];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 7) - 3;
        }
        Quantization q = Calibration.minMax().of(x);
        for (Engine e : new Engine[] {Engine.ONEDNN_2D, Engine.REFERENCE}) {
            try (Conv1d op = Conv1d.create(spec, w, bias, Conv1dOptions.defaults().withEngine(e).withInt8(q))) {
                float[] y = op.forward(x, 1, 11);
                for (int t = 0; t < 9; t++) {
                    assertEquals(0.75f, y[t], e + " channel 0 has zero weights: its output is its bias");
                }
            }
        }
    }

    @Test
    void int8NeedsAQuantizationAndFiniteWeights() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Conv1dOptions.defaults().withPrecision(Precision.INT8));
        assertTrue(none.getMessage().startsWith("inputQuantization:"), none.getMessage());
        Conv1dSpec spec = Conv1dSpec.builder(1, 1, 2).bias(false).build();
        Conv1dOptions o = Conv1dOptions.defaults().withInt8(new Quantization(0.1f, 3));
        IllegalArgumentException inf = assertThrows(IllegalArgumentException.class,
                () -> Conv1d.create(spec, new float[] {1, Float.POSITIVE_INFINITY}, null, o));
        assertTrue(inf.getMessage().startsWith("weights:"), inf.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Quantization(0f, 0));
        assertThrows(IllegalArgumentException.class, () -> new Quantization(1f, 256));
    }
}
