package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.WeightLayout;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes spec validation and, through it, the native engine: every parameter is an arbitrary int (often a small
 * one, so that valid specs are common). Building a spec and its geometry may only throw
 * {@link IllegalArgumentException}. A spec and width that pass validation and are small enough to run quickly are run
 * on the oneDNN 2D engine and must match the reference within {@link CrossCheck}'s bound: validation must never let
 * through a case that crashes oneDNN or that it computes wrongly.
 */
class SpecFuzzTest {
    /** Cases with more multiply-adds than this are validated but not run, to keep the fuzzer fast. */
    private static final double MAX_RUN_FLOPS = 2e5;

    @FuzzTest(maxDuration = "")
    void validSpecsRunCorrectly(FuzzedDataProvider data) {
        Conv1dSpec spec;
        Geometry geometry;
        int batch = sized(data, 3);
        int width = sized(data, 40);
        try {
            spec = draw(data);
            geometry = spec.geometry(width);
        } catch (IllegalArgumentException rejected) {
            return; // the documented rejection
        }
        // a bad batch is rejected by forward, which ForwardFuzzTest fuzzes
        if (batch < 1 || spec.flops(batch, width) > MAX_RUN_FLOPS || (long) batch * spec.inChannels() * width > 1 << 16
                || (long) batch * spec.outChannels() * geometry.outWidth() > 1 << 16
                || (long) batch * spec.inChannels() * (width + geometry.padLeft() + geometry.padRight()) > 1 << 16) {
            return;
        }
        Random r = new Random(data.consumeLong());
        float[] w = uniform(r, spec.weightCount());
        float[] b = spec.hasBias() ? uniform(r, spec.outChannels()) : null;
        float[] x = uniform(r, batch * spec.inChannels() * width);
        try (Conv1d op = Conv1d.create(spec, w, b, Engine.ONEDNN_2D)) {
            CrossCheck.Report report = new CrossCheck(spec, w, b).check(op, x, batch, width);
            assertTrue(report.passed(), spec + " N=" + batch + " W=" + width + ": " + report);
        }
    }

    private static Conv1dSpec draw(FuzzedDataProvider data) {
        Op op = data.pickValue(Op.values());
        Conv1dSpec.Builder b = Conv1dSpec.builder(sized(data, 8), sized(data, 8), sized(data, 6)).op(op)
                .stride(sized(data, 4)).dilation(sized(data, 4)).groups(sized(data, 4))
                .padding(padding(data)).paddingMode(data.pickValue(PaddingMode.values()))
                .outputPadding(data.consumeBoolean() ? data.consumeInt(0, 3) : data.consumeInt())
                .bias(data.consumeBoolean()).layout(data.pickValue(Layout.values()))
                .weightLayout(data.pickValue(WeightLayout.values()));
        Activation act = data.pickValue(Activation.values());
        return data.consumeBoolean() ? b.activation(act).build() : b.activation(act, data.consumeDouble()).build();
    }

    private static Padding padding(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> Padding.VALID;
            case 1 -> Padding.SAME;
            case 2 -> Padding.CAUSAL;
            default -> Padding.explicit(data.consumeBoolean() ? data.consumeInt(0, 12) : data.consumeInt(),
                    data.consumeBoolean() ? data.consumeInt(0, 12) : data.consumeInt());
        };
    }

    /** Usually a small positive int, sometimes any int at all. */
    private static int sized(FuzzedDataProvider data, int small) {
        return data.consumeInt(0, 7) != 0 ? data.consumeInt(1, small) : data.consumeInt();
    }

    private static float[] uniform(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        return a;
    }
}
