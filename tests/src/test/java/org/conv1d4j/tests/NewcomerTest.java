package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.io.Npy;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.PlanReport;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.WeightLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.FloatBuffer;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rough edges a newcomer hit (issue 9, items 4-7): every mistake gets an {@link IllegalArgumentException} whose
 * message starts with the parameter's name (never an NPE or the JDK's words) and says what would fit; the
 * no-allocation array overload and the length helpers; {@link CrossCheck#of} taking the precision from the op.
 */
class NewcomerTest {
    private static IllegalArgumentException rejects(String start, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(start), "message should start with '" + start + "': " + ex.getMessage());
        return ex;
    }

    private static void mentions(IllegalArgumentException e, String fragment) {
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' expected in: " + e.getMessage());
    }

    @Test
    void nullsToTheBuilderNameTheSetter() {
        Conv1dSpec.Builder b = Conv1dSpec.builder(4, 6, 3);
        rejects("padding: must not be null", () -> b.padding(null));
        rejects("padding_mode (paddingMode): must not be null", () -> b.paddingMode(null));
        rejects("layout: must not be null", () -> b.layout(null));
        rejects("weight_layout (weightLayout): must not be null", () -> b.weightLayout(null));
        rejects("op: must not be null", () -> b.op(null));
        rejects("activation: must not be null", () -> b.activation(null));
        rejects("activation: must not be null", () -> b.activation(null, 0.1));
        assertEquals(Conv1dSpec.builder(4, 6, 3).build(), b.build(), "rejected calls change nothing");
        Conv1dOptions o = Conv1dOptions.defaults();
        rejects("engine: must not be null", () -> o.withEngine(null));
        rejects("ncwStrategy: must not be null", () -> o.withNcwStrategy(null));
        rejects("precision: must not be null", () -> o.withPrecision(null));
    }

    @Test
    void nullsToOtherEntryPointsNameTheParameter() {
        Conv1dSpec spec = Conv1dSpec.builder(4, 6, 3).build();
        rejects("engine: must not be null", () -> Conv1d.create(spec, new float[72], new float[6], (Engine) null));
        rejects("options: must not be null", () -> Conv1d.create(spec, new float[72], new float[6],
                (Conv1dOptions) null));
        rejects("file: must not be null", () -> Npy.read(null));
        rejects("file: must not be null", () -> Npy.write(null, new int[] {1}, new float[1]));
        rejects("shape: must not be null", () -> Npy.write(java.nio.file.Path.of("x.npy"), null, new float[1]));
        rejects("data: must not be null", () -> Npy.write(java.nio.file.Path.of("x.npy"), new int[] {1}, null));
        rejects("padding_mode: unknown 'null'", () -> PaddingMode.fromName(null));
        rejects("activation: unknown 'null'", () -> Activation.fromWireName(null));
        rejects("op: unknown 'null'", () -> Op.fromWireName(null));
    }

    @Test
    void snakeCaseNamesAlsoGiveTheBuilderMethod() {
        mentions(rejects("output_padding (outputPadding):", () -> Conv1dSpec.builder(4, 4, 3).outputPadding(1)
                .build()), "only a transposed conv");
        rejects("in_channels (inChannels):", () -> Conv1dSpec.builder(0, 4, 3).build());
        rejects("out_channels (outChannels):", () -> Conv1dSpec.builder(4, 0, 3).build());
        rejects("kernel_size (kernelSize):", () -> Conv1dSpec.builder(4, 4, 0).build());
        rejects("weight_layout (weightLayout):", () -> Conv1dSpec.builder(4, 4, 3).weightLayout(WeightLayout.IOW)
                .build());
    }

    @Test
    void crossCheckValidatesItsArguments() {
        Conv1dSpec spec = Conv1dSpec.builder(4, 6, 3).build();
        float[] w = new float[72];
        float[] b = new float[6];
        rejects("weights: must not be null", () -> new CrossCheck(spec, null, b));
        rejects("spec: must not be null", () -> new CrossCheck(null, w, b));
        rejects("precision: must not be null", () -> new CrossCheck(spec, w, b, null));
        rejects("weights: expected 72 floats (OIW (6, 4, 3)), got 48", () -> new CrossCheck(spec, new float[48], b));
        rejects("bias", () -> new CrossCheck(spec, w, null));
        rejects("op: must not be null", () -> CrossCheck.of(null, w, b));
        CrossCheck check = new CrossCheck(spec, w, b);
        rejects("op: must not be null", () -> check.check(null, new float[8], 1, 2));
        rejects("actual: must not be null", () -> check.compare(null, new float[20], 1, 5));
    }

    @Test
    void weightLengthErrorsGiveTheShapeInTheSpecsWeightLayout() {
        Conv1dSpec oiw = Conv1dSpec.builder(4, 6, 3).build();
        rejects("weights: expected 72 floats (OIW (6, 4, 3)), got 48", () -> Conv1d.create(oiw, new float[48], null));
        Conv1dSpec wio = Conv1dSpec.keras(4, 6, 3).groups(2).build();
        rejects("weights: expected 36 floats (WIO (3, 2, 6)), got 72", () -> Conv1d.create(wio, new float[72], null));
        Conv1dSpec iow = Conv1dSpec.pytorch(4, 6, 3).op(Op.CONV_TRANSPOSE1D).groups(2).build();
        rejects("weights: expected 36 floats (IOW (4, 3, 3)), got 5", () -> Conv1d.create(iow, new float[5], null));
        Conv1dSpec woi = Conv1dSpec.keras(4, 6, 3).op(Op.CONV_TRANSPOSE1D).build();
        rejects("weights: expected 72 floats (WOI (3, 6, 4)), got 0", () -> Conv1d.create(woi, new float[0], null));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void arrayOverloadWritesTheCallersArray(Engine engine) {
        // odd sizes: 5 -> 7 channels, K 3, stride 2, N 3, W 97
        Conv1dSpec spec = Conv1dSpec.keras(5, 7, 3).stride(2).padding(Padding.SAME).activation(Activation.RELU).build();
        Random r = new Random(11);
        float[] w = RandomCase.uniform(r, spec.weightCount(), 0.4f);
        float[] b = RandomCase.uniform(r, 7, 0.1f);
        try (Conv1d op = Conv1d.create(spec, w, b, engine)) {
            assertEquals(3 * 5 * 97, op.inputLength(3, 97));
            assertEquals(3 * 7 * 49, op.outputLength(3, 97));
            assertEquals(49, op.outputWidth(97));
            for (int width : new int[] {97, 1, 2, 31, 97}) {
                float[] x = RandomCase.uniform(r, op.inputLength(3, width), 1);
                float[] expected = op.forward(x, 3, width);
                assertEquals(op.outputLength(3, width), expected.length);
                float[] y = new float[op.outputLength(3, width)];
                java.util.Arrays.fill(y, Float.NaN);
                op.forward(x, y, 3, width);
                assertArrayEquals(expected, y, "W=" + width);
            }
            float[] x = new float[op.inputLength(3, 97)];
            rejects("output: expected 1029 floats (NWC (3, 49, 7)), got 1028",
                    () -> op.forward(x, new float[1028], 3, 97));
            rejects("output: must not be null", () -> op.forward(x, null, 3, 97));
            rejects("input: expected 1455 floats (NWC (3, 97, 5)), got 1454",
                    () -> op.forward(new float[1454], new float[1029], 3, 97));
            rejects("batch", () -> op.outputLength(0, 97));
            rejects("width", () -> op.inputLength(1, 0));
        }
    }

    @Test
    void theArrayOverloadRefusesOneArrayForBoth() {
        Conv1dSpec spec = Conv1dSpec.builder(4, 4, 3).padding(Padding.SAME).build();
        try (Conv1d op = Conv1d.create(spec, new float[48], new float[4])) {
            float[] same = new float[4 * 13];
            rejects("output: is the input array", () -> op.forward(same, same, 1, 13));
        }
    }

    @Test
    void aBufferLeftAtItsEndHintsAtFlip() {
        Conv1dSpec spec = Conv1dSpec.builder(4, 6, 3).build();
        try (Conv1d op = Conv1d.create(spec, new float[72], new float[6])) {
            FloatBuffer in = DirectBuffers.allocate(op.inputLength(1, 150));
            in.put(new float[600]); // position == limit, as after filling with relative puts
            FloatBuffer out = DirectBuffers.allocate(op.outputLength(1, 150));
            mentions(rejects("input: needs 600 floats from position 600, has 0", () -> op.forward(in, out, 1, 150)),
                    "flip()");
            in.flip();
            op.forward(in, out, 1, 150);
            IllegalArgumentException shortOne = rejects("input: needs 600 floats from position 1, has 599",
                    () -> op.forward(in.position(1), out, 1, 150));
            assertFalse(shortOne.getMessage().contains("flip()"), "no hint when the buffer is merely short");
        }
    }

    @Test
    void crossCheckTakesThePrecisionFromTheOp() {
        RandomCase c = RandomCase.draw(RandomCase.Kind.FORWARD, 7);
        Conv1dOptions bf16 = Conv1dOptions.defaults().withPrecision(Precision.BF16);
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), bf16)) {
            CrossCheck check = CrossCheck.of(op, c.weights(), c.bias());
            assertEquals(Precision.BF16, check.precision());
            assertTrue(check.check(op, c.input(), c.batch(), c.width()).passed());
            // not vacuous: the float32 bound rejects the same bf16 output
            float[] y = op.forward(c.input(), c.batch(), c.width());
            assertFalse(new CrossCheck(c.spec(), c.weights(), c.bias()).compare(y, c.input(), c.batch(), c.width())
                    .passed());
            // and checking a bf16 op with a float32 check says what to do instead of failing 17 000x over
            mentions(rejects("op: computes in BF16 but this check's bound is for F32",
                    () -> new CrossCheck(c.spec(), c.weights(), c.bias()).check(op, c.input(), c.batch(), c.width())),
                    "CrossCheck.of(op, weights, bias)");
            // the buffer overload reads from the position and leaves it there
            FloatBuffer in = DirectBuffers.allocate(c.input().length + 3);
            in.position(3);
            in.put(3, c.input());
            CrossCheck.Report r = check.check(op, in, c.batch(), c.width());
            assertTrue(r.passed(), r.toString());
            assertEquals(3, in.position());
        }
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias())) {
            assertEquals(Precision.F32, CrossCheck.of(op, c.weights(), c.bias()).precision());
        }
    }

    @Test
    void engineNamesInBothSpellings() {
        assertEquals(Engine.ONEDNN_2D, Engine.fromCliName("onednn"));
        assertEquals(Engine.ONEDNN_2D, Engine.fromCliName("onednn-2d"));
        assertEquals(Engine.ONEDNN_2D, Engine.fromCliName("ONEDNN_2D"));
        assertEquals(Engine.ONEDNN_1D, Engine.fromCliName("onednn-1d"));
        assertEquals(Engine.ONEDNN_1D, Engine.fromCliName("ONEDNN_1D"));
        assertEquals(Engine.REFERENCE, Engine.fromCliName("reference"));
        rejects("engine: unknown 'gpu'", () -> Engine.fromCliName("gpu"));
        rejects("engine: unknown 'null'", () -> Engine.fromCliName(null));
    }

    @Test
    void planReportsPrintAndCompareTheirArrays() {
        Conv1dSpec spec = Conv1dSpec.builder(3, 5, 3).stride(2).dilation(2).padding(Padding.SAME).build();
        try (Conv1d op = Conv1d.create(spec, new float[45], new float[5])) {
            PlanReport a = op.describe(2, 17).orElseThrow();
            PlanReport b = op.describe(2, 17).orElseThrow();
            assertFalse(a.toString().contains("[J@"), a.toString());
            assertTrue(a.toString().contains("strides=" + java.util.Arrays.toString(a.strides())), a.toString());
            assertEquals(a, b);
            assertEquals(a.hashCode(), b.hashCode());
            assertNotSame(a.strides(), a.strides(), "the arrays are copied out");
            a.strides()[0] = 99;
            assertEquals(b, a, "and cannot be changed from outside");
        }
    }

    @Test
    void defaultsAreStatedAndTheSameForBuilderAndPytorch() {
        Conv1dSpec s = Conv1dSpec.builder(4, 6, 3).build();
        assertEquals(Op.CONV1D, s.op());
        assertEquals(1, s.stride());
        assertEquals(1, s.dilation());
        assertEquals(1, s.groups());
        assertEquals(Padding.VALID, s.padding());
        assertTrue(s.hasBias());
        assertEquals(Activation.NONE, s.activation());
        assertEquals(Layout.NCW, s.layout());
        assertEquals(WeightLayout.OIW, s.weightLayout());
        assertArrayEquals(new int[] {6, 4, 3}, s.weightShape());
        assertArrayEquals(new int[] {3, 4, 6}, Conv1dSpec.keras(4, 6, 3).build().weightShape());
    }
}
