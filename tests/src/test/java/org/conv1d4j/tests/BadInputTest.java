package org.conv1d4j.tests;

import org.conv1d4j.spec.Activation;
import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.WeightLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Impossible specs and bad arguments throw IllegalArgumentException naming the parameter; closed ops throw ISE. */
class BadInputTest {
    private static void rejects(String parameter, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().startsWith(parameter), "message should name " + parameter + ": " + ex.getMessage());
    }

    @Test
    void impossibleSpecsNameTheParameter() {
        rejects("in_channels", () -> Conv1dSpec.builder(0, 4, 3).build());
        rejects("out_channels", () -> Conv1dSpec.builder(4, -1, 3).build());
        rejects("kernel_size", () -> Conv1dSpec.builder(4, 4, 0).build());
        rejects("stride", () -> Conv1dSpec.builder(4, 4, 3).stride(0).build());
        rejects("dilation", () -> Conv1dSpec.builder(4, 4, 3).dilation(0).build());
        rejects("groups", () -> Conv1dSpec.builder(4, 4, 3).groups(0).build());
        rejects("groups", () -> Conv1dSpec.builder(6, 4, 3).groups(4).build());
        rejects("groups", () -> Conv1dSpec.builder(4, 6, 3).groups(4).build());
        rejects("padding", () -> Padding.explicit(-1, 0));
        rejects("padding", () -> Conv1dSpec.builder(4, 4, 3).op(Op.CONV_TRANSPOSE1D).padding(Padding.CAUSAL).build());
        rejects("padding_mode", () -> Conv1dSpec.builder(4, 4, 3).op(Op.CONV_TRANSPOSE1D)
                .paddingMode(PaddingMode.REFLECT).build());
        rejects("output_padding", () -> Conv1dSpec.builder(4, 4, 3).op(Op.CONV_TRANSPOSE1D).stride(2).outputPadding(2).build());
        rejects("output_padding", () -> Conv1dSpec.builder(4, 4, 3).outputPadding(1).build());
        rejects("weight_layout", () -> Conv1dSpec.builder(4, 4, 3).op(Op.CONV_TRANSPOSE1D).groups(2)
                .weightLayout(WeightLayout.WOI).build());
        rejects("weight_layout", () -> Conv1dSpec.builder(4, 4, 3).weightLayout(WeightLayout.IOW).build());
        rejects("alpha", () -> Conv1dSpec.builder(4, 4, 3).activation(Activation.LEAKY_RELU, Double.POSITIVE_INFINITY).build());
        rejects("alpha", () -> Conv1dSpec.builder(4, 4, 3).activation(Activation.CLIP, -1).build());
        // found by SpecFuzzTest: an alpha beyond float32 became infinite in oneDNN and 0 * inf = NaN
        rejects("alpha", () -> Conv1dSpec.builder(4, 4, 3).activation(Activation.LEAKY_RELU, -2.3e307).build());
        rejects("kernel_size", () -> Conv1dSpec.builder(65536, 65536, 3).build());
        // 2^21 * 2^21 * 2^22 = 2^64 wraps a long product to 0 weights
        rejects("kernel_size", () -> Conv1dSpec.builder(1 << 21, 1 << 21, 1 << 22).build());
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void paddedCopiesBeyondAnArrayAreRejected(Engine engine) {
        // found by SpecFuzzTest: 2 x 1 x (13 + 2114491968) padded floats overflowed an int and oneDNN's engine
        // allocated a negative-size buffer (std::bad_array_new_length, which aborts the JVM)
        Conv1dSpec spec = Conv1dSpec.builder(1, 8, 2).stride(4).dilation(2114491968).padding(Padding.CAUSAL)
                .paddingMode(PaddingMode.REPLICATE).bias(false).build();
        try (Conv1d op = Conv1d.create(spec, new float[16], null, engine)) {
            rejects("padding", () -> op.forward(new float[26], 2, 13));
        }
        rejects("padding", () -> Conv1dSpec.builder(1, 1, 1).padding(Padding.explicit(Integer.MAX_VALUE, 5)).build()
                .geometry(4));
    }

    @Test
    void stridesOneDnnCannotTakeAreHandledWithoutPoisoningLaterOps() {
        // found by SpecFuzzTest: oneDNN failed to build stride 142540640 and then every later primitive; a stride
        // beyond the padded width now reaches oneDNN as the padded width (same single output column)
        Conv1dSpec huge = Conv1dSpec.builder(1, 7, 2).stride(142540640).padding(Padding.CAUSAL).bias(false).build();
        float[] w = RandomCase.uniform(new java.util.Random(1), 14, 1);
        float[] x = {0.5f, -1, 2};
        try (Conv1d op = Conv1d.create(huge, w, null); Conv1d ref = Conv1d.create(huge, w, null, Engine.REFERENCE)) {
            assertArrayEquals(ref.forward(x, 1, 3), op.forward(x, 1, 3), 1e-6f);
        }
        // a scratchpad oneDNN cannot allocate is a clear rejection of that shape
        Conv1dSpec wide = Conv1dSpec.builder(1, 7, 2).stride(1_400_000).padding(Padding.CAUSAL).layout(Layout.NWC)
                .bias(false).build();
        try (Conv1d op = Conv1d.create(wide, w, null)) {
            rejects("shape", () -> op.forward(new float[2_000_000], 1, 2_000_000));
        }
        // found by SpecFuzzTest: a transposed conv with stride 1576402943 hung inside oneDNN; on one input column
        // the stride changes nothing, so oneDNN gets stride 1
        Conv1dSpec transposed = Conv1dSpec.builder(6, 4, 4).op(Op.CONV_TRANSPOSE1D).stride(1576402943)
                .outputPadding(255).padding(Padding.VALID).layout(Layout.NWC).weightLayout(WeightLayout.WOI).build();
        float[] tw = RandomCase.uniform(new java.util.Random(2), transposed.weightCount(), 1);
        float[] tb = RandomCase.uniform(new java.util.Random(3), 4, 1);
        float[] tx = RandomCase.uniform(new java.util.Random(4), 3 * 6, 1);
        try (Conv1d op = Conv1d.create(transposed, tw, tb);
             Conv1d ref = Conv1d.create(transposed, tw, tb, Engine.REFERENCE)) {
            assertArrayEquals(ref.forward(tx, 3, 1), op.forward(tx, 3, 1), 1e-5f);
        }
        Conv1dSpec small = Conv1dSpec.builder(1, 7, 2).stride(8).padding(Padding.CAUSAL).bias(false).build();
        try (Conv1d op = Conv1d.create(small, w, null)) {
            assertDoesNotThrow(() -> op.forward(new float[16], 1, 16));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void sizesWhoseLongProductWrapsAreRejected(Engine engine) {
        // N * C * W = 2^21 * 2^21 * 2^22 = 2^64: a plain long product is 0, which empty buffers would satisfy
        int c = 1 << 21;
        Conv1dSpec spec = Conv1dSpec.builder(c, c, 1).groups(c).layout(Layout.NWC).build();
        try (Conv1d op = Conv1d.create(spec, new float[c], new float[c], engine)) {
            FloatBuffer empty = ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()).asFloatBuffer();
            rejects("input", () -> op.forward(empty, empty, 1 << 21, 1 << 22));
            rejects("input", () -> op.forward(new float[0], 1 << 21, 1 << 22));
        }
    }

    @Test
    void impossibleWidthsNameTheParameter() {
        Conv1dSpec spec = Conv1dSpec.builder(2, 2, 5).build();
        rejects("width", () -> spec.geometry(4));
        rejects("width", () -> spec.geometry(0));
        rejects("padding_mode", () -> Conv1dSpec.builder(2, 2, 3).padding(Padding.explicit(3, 0))
                .paddingMode(PaddingMode.REFLECT).build().geometry(3));
        rejects("padding_mode", () -> Conv1dSpec.builder(2, 2, 3).padding(Padding.explicit(4, 0))
                .paddingMode(PaddingMode.CIRCULAR).build().geometry(3));
        rejects("padding", () -> Conv1dSpec.builder(2, 2, 2).op(Op.CONV_TRANSPOSE1D).padding(Padding.explicit(3, 0))
                .build().geometry(2));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void badArgumentsNameTheParameter(Engine engine) {
        Conv1dSpec spec = Conv1dSpec.builder(2, 3, 3).layout(Layout.NWC).build();
        float[] w = new float[spec.weightCount()];
        float[] b = new float[3];
        rejects("weights", () -> Conv1d.create(spec, new float[5], b, engine));
        rejects("weights", () -> Conv1d.create(spec, null, b, engine));
        rejects("bias", () -> Conv1d.create(spec, w, null, engine));
        rejects("bias", () -> Conv1d.create(spec, w, new float[2], engine));
        rejects("bias", () -> Conv1d.create(spec.toBuilder().bias(false).build(), w, b, engine));
        rejects("spec", () -> Conv1d.create(null, w, b, engine));
        try (Conv1d op = Conv1d.create(spec, w, b, engine)) {
            rejects("batch", () -> op.forward(new float[12], 0, 6));
            rejects("input", () -> op.forward(new float[11], 1, 6));
            rejects("input", () -> op.forward(null, 1, 6));
            rejects("width", () -> op.forward(new float[4], 1, 2));
            rejects("input", () -> op.forward(new float[0], Integer.MAX_VALUE, Integer.MAX_VALUE));
            FloatBuffer in = direct(12);
            FloatBuffer out = direct(12);
            rejects("input", () -> op.forward(FloatBuffer.allocate(12), out, 1, 6));
            rejects("input", () -> op.forward(ByteBuffer.allocateDirect(48).order(swapped()).asFloatBuffer(), out, 1, 6));
            rejects("output", () -> op.forward(in, out.asReadOnlyBuffer(), 1, 6));
            rejects("output", () -> op.forward(in, direct(11), 1, 6));
            rejects("input", () -> op.forward(direct(12).position(1), out, 1, 6));
            rejects("output", () -> op.forward(in, null, 1, 6));
            if (engine != Engine.REFERENCE) {
                rejects("output", () -> op.forward(in, in, 1, 6));
                rejects("output", () -> op.forward(in, in.duplicate().position(6).slice(), 1, 6));
            }
            assertDoesNotThrow(() -> op.forward(in, out, 1, 6));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void useAfterCloseThrowsAndDoubleCloseIsSafe(Engine engine) {
        Conv1dSpec spec = Conv1dSpec.builder(2, 3, 3).build();
        Conv1d op = Conv1d.create(spec, new float[spec.weightCount()], new float[3], engine);
        op.close();
        op.close();
        assertThrows(IllegalStateException.class, () -> op.forward(new float[12], 1, 6));
        assertThrows(IllegalStateException.class, () -> op.forward(direct(12), direct(12), 1, 6));
        assertTrue(op.isClosed());
    }

    static FloatBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static ByteOrder swapped() {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }
}
