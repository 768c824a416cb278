package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.cli.CaseReader;
import org.conv1d4j.cli.Conv1dCase;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.WeightLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Conv1dSpec#pytorch} and {@link Conv1dSpec#keras} against the PyTorch goldens (issue 9, item 3): a spec
 * started from {@code pytorch(...)} with only the numbers set is exactly the golden's PyTorch-layout spec, and one
 * started from {@code keras(...)}, fed the same case transposed to {@code NWC} data and Keras weights, gives the
 * same output transposed. The op is set after the starting point, as a user would.
 */
class StartingPointsTest {
    static List<String> goldens() {
        return Goldens.all().stream().map(p -> p.getFileName().toString()).toList();
    }

    @Test
    void builderDefaultsArePyTorchsAndKerasSetsBothLayouts() {
        assertEquals(Conv1dSpec.builder(4, 6, 3).build(), Conv1dSpec.pytorch(4, 6, 3).build());
        Conv1dSpec p = Conv1dSpec.pytorch(4, 6, 3).build();
        assertEquals(Layout.NCW, p.layout());
        assertEquals(WeightLayout.OIW, p.weightLayout());
        assertEquals(WeightLayout.IOW, Conv1dSpec.pytorch(4, 6, 3).op(Op.CONV_TRANSPOSE1D).build().weightLayout());
        Conv1dSpec k = Conv1dSpec.keras(4, 6, 3).build();
        assertEquals(Layout.NWC, k.layout());
        assertEquals(WeightLayout.WIO, k.weightLayout());
        Conv1dSpec kt = Conv1dSpec.keras(4, 6, 3).op(Op.CONV_TRANSPOSE1D).build();
        assertEquals(Layout.NWC, kt.layout());
        assertEquals(WeightLayout.WOI, kt.weightLayout());
        // switching back and forth follows the op until a weight layout is set explicitly
        assertEquals(WeightLayout.WIO, Conv1dSpec.keras(4, 6, 3).op(Op.CONV_TRANSPOSE1D).op(Op.CONV1D).build()
                .weightLayout());
        assertEquals(WeightLayout.IOW, Conv1dSpec.keras(4, 6, 3).weightLayout(WeightLayout.IOW)
                .op(Op.CONV_TRANSPOSE1D).groups(2).build().weightLayout());
        // Keras' Conv1DTranspose kernel has no groups: say so rather than guess
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Conv1dSpec.keras(4, 6, 3).op(Op.CONV_TRANSPOSE1D).groups(2).build());
        assertTrue(e.getMessage().startsWith("weight_layout (weightLayout): WOI"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void pytorchStartingPointMatchesTheGolden(String name) throws IOException {
        Conv1dCase c = read(name);
        if (c.spec().layout() != Layout.NCW) {
            return; // the Keras-layout goldens are the next test's
        }
        Conv1dSpec spec = copyNumbers(Conv1dSpec.pytorch(c.spec().inChannels(), c.spec().outChannels(),
                c.spec().kernelSize()), c.spec());
        assertEquals(c.spec(), spec, "pytorch(...) with the numbers set is the golden's spec");
        try (Conv1d op = Conv1d.create(spec, c.weights(), c.bias())) {
            float[] y = op.forward(c.input(), c.batch(), c.width());
            assertTrue(Goldens.worstGoldenRatio(y, c.expected()) <= 1, name);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldens")
    void kerasStartingPointMatchesTheGoldenTransposed(String name) throws IOException {
        Conv1dCase c = read(name);
        Conv1dSpec golden = c.spec();
        if (golden.op() == Op.CONV_TRANSPOSE1D && golden.groups() != 1) {
            return; // Keras' Conv1DTranspose has no groups (builderDefaultsArePyTorchsAndKerasSetsBothLayouts checks the message)
        }
        Conv1dSpec spec = copyNumbers(Conv1dSpec.keras(golden.inChannels(), golden.outChannels(),
                golden.kernelSize()), golden);
        if (golden.layout() == Layout.NWC) { // already Keras: keras(...) must rebuild it exactly
            assertEquals(golden, spec);
            return;
        }
        int ow = golden.geometry(c.width()).outWidth();
        float[] x = ncwToNwc(c.input(), c.batch(), golden.inChannels(), c.width());
        float[] w = toKerasWeights(c.weights(), golden);
        try (Conv1d op = Conv1d.create(spec, w, c.bias())) {
            float[] y = nwcToNcw(op.forward(x, c.batch(), c.width()), c.batch(), golden.outChannels(), ow);
            assertTrue(Goldens.worstGoldenRatio(y, c.expected()) <= 1, name + " as Keras");
        }
    }

    private static Conv1dCase read(String name) throws IOException {
        Path dir = Goldens.root().resolve(name);
        return CaseReader.read(dir);
    }

    /** Everything but the layouts, in the order a user would set it. */
    private static Conv1dSpec copyNumbers(Conv1dSpec.Builder b, Conv1dSpec s) {
        b.op(s.op()).stride(s.stride()).dilation(s.dilation()).groups(s.groups()).padding(s.padding())
                .paddingMode(s.paddingMode()).outputPadding(s.outputPadding()).bias(s.hasBias())
                .activation(s.activation(), s.alpha());
        return b.build();
    }

    static float[] ncwToNwc(float[] x, int n, int c, int w) {
        float[] y = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < w; t++) {
                    y[(b * w + t) * c + ch] = x[(b * c + ch) * w + t];
                }
            }
        }
        return y;
    }

    static float[] nwcToNcw(float[] x, int n, int c, int w) {
        float[] y = new float[x.length];
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int t = 0; t < w; t++) {
                    y[(b * c + ch) * w + t] = x[(b * w + t) * c + ch];
                }
            }
        }
        return y;
    }

    /** PyTorch {@code OIW (O, I, K)} to Keras {@code WIO (K, I, O)}; {@code IOW (I, O, K)} to {@code WOI (K, O, I)}. */
    private static float[] toKerasWeights(float[] w, Conv1dSpec s) {
        int[] d = s.weightShape(); // (A, B, K) with A = O or I
        float[] y = new float[w.length];
        for (int a = 0; a < d[0]; a++) {
            for (int b = 0; b < d[1]; b++) {
                for (int k = 0; k < d[2]; k++) {
                    y[(k * d[1] + b) * d[0] + a] = w[(a * d[1] + b) * d[2] + k];
                }
            }
        }
        return y;
    }
}
