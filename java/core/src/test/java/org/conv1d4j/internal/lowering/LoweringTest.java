package org.conv1d4j.internal.lowering;

import org.bytedeco.javacpp.Loader;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What oneDNN is asked for each kind of Conv1D, checked as plain numbers: dims, strides, dilations, paddings, the
 * input copy and the bias tail. No native library is loaded.
 */
class LoweringTest {
    private static final Target TWO_D = new Target(Mapping.TWO_D, Precision.F32, NcwStrategy.AUTO);
    private static final Target ONE_D = new Target(Mapping.ONE_D, Precision.F32, NcwStrategy.AUTO);

    private static Lowering lower(Conv1dSpec spec, Target target, int batch, int width) {
        return Lowerer.lower(spec, target, batch, spec.geometry(width));
    }

    private static void assertDims(Lowering lw, long[] src, long[] weights, long[] dst) {
        assertArrayEquals(src, lw.srcDims(), "src " + lw);
        assertArrayEquals(weights, lw.weightDims(), "weights " + lw);
        assertArrayEquals(dst, lw.dstDims(), "dst " + lw);
    }

    private static void assertSpatial(Lowering lw, long[] strides, long[] dilates, long[] padL, long[] padR) {
        assertArrayEquals(strides, lw.strides(), "strides " + lw);
        assertArrayEquals(dilates, lw.dilates(), "dilates " + lw);
        assertArrayEquals(padL, lw.padLeft(), "padding_l " + lw);
        assertArrayEquals(padR, lw.padRight(), "padding_r " + lw);
    }

    @AfterAll
    static void noNativeLibraryWasLoaded() {
        assertTrue(Loader.getLoadedLibraries().keySet().stream().noneMatch(l -> l.contains("dnnl")),
                "loaded " + Loader.getLoadedLibraries().keySet());
    }

    @Test
    void plainConvKeepsTheCallersGeometryInBothMappings() {
        // same padding of K 3, stride 2 on W 17: OW 9, total padding (9-1)*2+3-17 = 2, split [1, 1]
        Conv1dSpec spec = Conv1dSpec.builder(3, 5, 3).stride(2).padding(Padding.SAME).layout(Layout.NCW).build();
        Lowering two = lower(spec, TWO_D, 2, 17);
        assertEquals(Lowering.Variant.PLAIN, two.variant());
        assertDims(two, new long[] {2, 3, 1, 17}, new long[] {5, 3, 1, 3}, new long[] {2, 5, 1, 9});
        assertSpatial(two, new long[] {1, 2}, new long[] {0, 0}, new long[] {0, 1}, new long[] {0, 1});
        assertEquals(ActivationFormat.NCHW, two.userFormat());
        assertNull(two.inputCopy());
        assertEquals(0, two.biasTail());
        assertFalse(two.reorderActivations());
        assertFalse(two.isDeconvolution());

        Lowering one = lower(spec, ONE_D, 2, 17);
        assertDims(one, new long[] {2, 3, 17}, new long[] {5, 3, 3}, new long[] {2, 5, 9});
        assertSpatial(one, new long[] {2}, new long[] {0}, new long[] {1}, new long[] {1});
        assertEquals(ActivationFormat.NCW, one.userFormat());
    }

    @Test
    void groupedAndDepthwiseWeightsCarryTheGroupDim() {
        Conv1dSpec grouped = Conv1dSpec.builder(4, 6, 5).groups(2).layout(Layout.NWC).build();
        Lowering lw = lower(grouped, TWO_D, 1, 13);
        assertDims(lw, new long[] {1, 4, 1, 13}, new long[] {2, 3, 2, 1, 5}, new long[] {1, 6, 1, 9});
        assertEquals(ActivationFormat.NHWC, lw.userFormat());
        assertArrayEquals(new long[] {2, 3, 2, 5}, lower(grouped, ONE_D, 1, 13).weightDims());

        // dilated depthwise NWC whose width is no multiple of the dilation: not folded, reordered (measured faster)
        Conv1dSpec depthwise = Conv1dSpec.builder(8, 8, 3).groups(8).dilation(2).layout(Layout.NWC).build();
        Lowering dw = lower(depthwise, TWO_D, 3, 11);
        assertEquals(Lowering.Variant.PLAIN, dw.variant());
        assertDims(dw, new long[] {3, 8, 1, 11}, new long[] {8, 1, 1, 1, 3}, new long[] {3, 8, 1, 7});
        assertSpatial(dw, new long[] {1, 1}, new long[] {0, 1}, new long[] {0, 0}, new long[] {0, 0});
        assertTrue(dw.reorderActivations());
    }

    @Test
    void ncwStrategyAndPrecisionChooseTheReorders() {
        Conv1dSpec depthwise = Conv1dSpec.builder(4, 4, 3).groups(4).layout(Layout.NCW).build();
        Conv1dSpec dense = Conv1dSpec.builder(4, 4, 3).layout(Layout.NCW).build();
        assertTrue(lower(depthwise, TWO_D, 1, 16).reorderActivations());
        assertFalse(lower(dense, TWO_D, 1, 16).reorderActivations());
        assertFalse(lower(depthwise, new Target(Mapping.TWO_D, Precision.F32, NcwStrategy.PLAIN), 1, 16)
                .reorderActivations());
        assertTrue(lower(dense, new Target(Mapping.TWO_D, Precision.F32, NcwStrategy.REORDER), 1, 16)
                .reorderActivations());
        Lowering bf16 = lower(dense.toBuilder().layout(Layout.NWC).build(),
                new Target(Mapping.TWO_D, Precision.BF16, NcwStrategy.AUTO), 1, 16);
        assertTrue(bf16.reorderActivations());
        assertEquals(Lowering.DataType.BF16, bf16.compute());
        assertEquals(Lowering.DataType.F32, lower(dense, TWO_D, 1, 16).compute());
    }

    @Test
    void transposedConvCropsAsPaddingAndLeavesTheOutputPaddingAsABiasTail() {
        // full output (7-1)*2+3 = 15, output_padding 1: OW 16, the last column only sees the bias
        Conv1dSpec spec = Conv1dSpec.builder(3, 2, 3).op(Op.CONV_TRANSPOSE1D).stride(2).outputPadding(1)
                .layout(Layout.NCW).build();
        Geometry g = spec.geometry(7);
        assertEquals(16, g.outWidth());
        Lowering lw = Lowerer.lower(spec, TWO_D, 2, g);
        assertEquals(Lowering.Variant.TRANSPOSED, lw.variant());
        assertTrue(lw.isDeconvolution());
        assertDims(lw, new long[] {2, 3, 1, 7}, new long[] {2, 3, 1, 3}, new long[] {2, 2, 1, 15});
        assertSpatial(lw, new long[] {1, 2}, new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
        assertEquals(1, lw.biasTail());
        assertEquals(15, lw.primitiveOutWidth());
        assertEquals(2 * 2 * 16, lw.dstElements());

        // same padding crops [1, 2] of the full output (7-1)*2+4 = 16 to 7*2 = 14
        Conv1dSpec same = Conv1dSpec.builder(3, 2, 4).op(Op.CONV_TRANSPOSE1D).stride(2).padding(Padding.SAME).build();
        Lowering cropped = lower(same, ONE_D, 1, 7);
        assertSpatial(cropped, new long[] {2}, new long[] {0}, new long[] {1}, new long[] {1});
        assertArrayEquals(new long[] {1, 2, 14}, cropped.dstDims());
        assertEquals(0, cropped.biasTail());

        // one input column does not depend on the stride: oneDNN gets 1 (it hung on 1576402943)
        Conv1dSpec huge = same.toBuilder().stride(1576402943).padding(Padding.VALID).build();
        assertArrayEquals(new long[] {1, 1}, lower(huge, TWO_D, 1, 1).strides());
    }

    @Test
    void paddingModesPadInJavaAndConvolveWithoutPadding() {
        for (PaddingMode mode : new PaddingMode[] {PaddingMode.REFLECT, PaddingMode.REPLICATE, PaddingMode.CIRCULAR}) {
            Conv1dSpec spec = Conv1dSpec.builder(3, 4, 5).padding(Padding.SAME).paddingMode(mode).layout(Layout.NCW)
                    .build();
            Lowering lw = lower(spec, TWO_D, 2, 9);
            assertEquals(Lowering.Variant.EDGE_PADDED, lw.variant(), mode.name());
            assertEquals(new InputCopy(13, 2, 1, Layout.NCW), lw.inputCopy());
            assertDims(lw, new long[] {2, 3, 1, 13}, new long[] {4, 3, 1, 5}, new long[] {2, 4, 1, 9});
            assertSpatial(lw, new long[] {1, 1}, new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
            assertEquals(2 * 3 * 13, lw.copyElements());
            assertEquals(2 * 3 * 9, lw.srcElements());
        }
        // zero padding as wide as the effective kernel (outputs that see only padding) is padded in Java too
        Conv1dSpec wide = Conv1dSpec.builder(2, 2, 3).padding(Padding.explicit(4, 1)).build();
        Lowering lw = lower(wide, TWO_D, 1, 6);
        assertEquals(Lowering.Variant.EDGE_PADDED, lw.variant());
        assertEquals(new InputCopy(11, 4, 1, Layout.NCW), lw.inputCopy());
        // narrower zero padding is oneDNN's
        Lowering causal = lower(wide.toBuilder().padding(Padding.CAUSAL).build(), TWO_D, 1, 6);
        assertEquals(Lowering.Variant.PLAIN, causal.variant());
        assertSpatial(causal, new long[] {1, 1}, new long[] {0, 0}, new long[] {0, 2}, new long[] {0, 0});
    }

    @Test
    void dilationFoldsIntoTheHeightOnlyWhereEverythingIsAMultipleOfIt() {
        // K 3, dilation 4, causal: L = 8; W 32 -> the view (N, C, 8, 4), kernel (3, 1), padding 8/4 = 2 on the height
        Conv1dSpec spec = Conv1dSpec.builder(4, 6, 3).dilation(4).padding(Padding.CAUSAL).layout(Layout.NWC).build();
        Lowering lw = lower(spec, TWO_D, 2, 32);
        assertEquals(Lowering.Variant.FOLDED, lw.variant());
        assertEquals(WeightView.KERNEL_ALONG_HEIGHT, lw.weightView());
        assertDims(lw, new long[] {2, 4, 8, 4}, new long[] {6, 4, 3, 1}, new long[] {2, 6, 8, 4});
        assertSpatial(lw, new long[] {1, 1}, new long[] {0, 0}, new long[] {2, 0}, new long[] {0, 0});
        assertArrayEquals(Mapping.foldedWeightDims(spec), lw.weightDims());
        assertNull(lw.inputCopy());

        // not where the width is no multiple, not in 1D, not NCW, not with stride 2
        assertEquals(Lowering.Variant.PLAIN, lower(spec, TWO_D, 2, 33).variant());
        assertEquals(Lowering.Variant.PLAIN, lower(spec, ONE_D, 2, 32).variant());
        assertEquals(Lowering.Variant.PLAIN, lower(spec.toBuilder().layout(Layout.NCW).build(), TWO_D, 2, 32).variant());
        assertEquals(Lowering.Variant.PLAIN, lower(spec.toBuilder().stride(2).build(), TWO_D, 2, 32).variant());
        // a folded depthwise layer reads nhwc directly
        Conv1dSpec dw = Conv1dSpec.builder(4, 4, 3).groups(4).dilation(4).padding(Padding.CAUSAL).layout(Layout.NWC)
                .build();
        assertFalse(lower(dw, TWO_D, 1, 32).reorderActivations());
        assertTrue(lower(dw, TWO_D, 1, 33).reorderActivations());
    }

    @Test
    void theFuzzFindingsAreOneDotProductOverTheirWindow() {
        // SpecFuzzTest: C_in 1, C_out 4, K 1280, stride 4720429, causal, NWC, N 2, W 13 -> OW 1, which oneDNN's
        // brgemm kernel asked a 33.9 GB scratchpad for; the window is the 1279 zeros and the first input column,
        // gathered channels first and read as 1280 channels of a 1x1 conv
        Conv1dSpec spec = Conv1dSpec.builder(1, 4, 1280).stride(4720429).padding(Padding.CAUSAL).layout(Layout.NWC)
                .bias(false).build();
        Lowering lw = lower(spec, TWO_D, 2, 13);
        assertEquals(Lowering.Variant.SINGLE_WINDOW, lw.variant());
        assertEquals(new InputCopy(1280, 1279, 1, Layout.NCW), lw.inputCopy());
        assertEquals(WeightView.WINDOW_AS_CHANNELS, lw.weightView());
        assertEquals(ActivationFormat.NCHW, lw.userFormat());
        assertDims(lw, new long[] {2, 1280, 1, 1}, new long[] {4, 1280, 1, 1}, new long[] {2, 4, 1, 1});
        assertSpatial(lw, new long[] {1, 1}, new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
        assertEquals(2 * 1 * 13, lw.srcElements());
        assertEquals(2 * 1280, lw.copyElements());
        Lowering one = lower(spec, ONE_D, 2, 13);
        assertSpatial(one, new long[] {1}, new long[] {0}, new long[] {0}, new long[] {0});
        assertArrayEquals(new long[] {2, 1280, 1}, one.srcDims());
        assertArrayEquals(new long[] {4, 1280, 1}, one.weightDims());
        assertEquals(ActivationFormat.NCW, one.userFormat());

        // SpecFuzzTest again: K 65536 over one column of 65535 zeros and the input (a 34.4 GB scratchpad as a conv)
        Conv1dSpec wide = Conv1dSpec.builder(1, 1, 65536).stride(4720429).padding(Padding.CAUSAL).layout(Layout.NCW)
                .build();
        Lowering w = lower(wide, TWO_D, 1, 1);
        assertEquals(new InputCopy(65536, 65535, 1, Layout.NCW), w.inputCopy());
        assertDims(w, new long[] {1, 65536, 1, 1}, new long[] {1, 65536, 1, 1}, new long[] {1, 1, 1, 1});
    }

    @Test
    void aSingleWindowKeepsTheGroups() {
        // groups 2 of 3 channels, K 4: a group's window is 12 contiguous channels of the channels-first copy
        Conv1dSpec spec = Conv1dSpec.builder(6, 4, 4).groups(2).stride(9).padding(Padding.SAME).layout(Layout.NWC)
                .build();
        Lowering lw = lower(spec, TWO_D, 3, 5);
        assertEquals(Lowering.Variant.SINGLE_WINDOW, lw.variant());
        assertDims(lw, new long[] {3, 24, 1, 1}, new long[] {2, 2, 12, 1, 1}, new long[] {3, 4, 1, 1});
        assertArrayEquals(Mapping.TWO_D.windowAsChannelsWeightDims(spec), lw.weightDims());
        Conv1dSpec depthwise = Conv1dSpec.builder(3, 6, 2).groups(3).dilation(3).layout(Layout.NCW).build();
        Lowering dw = lower(depthwise, ONE_D, 1, 4);
        assertDims(dw, new long[] {1, 6, 1}, new long[] {3, 2, 2, 1}, new long[] {1, 6, 1});
        assertEquals(new InputCopy(2, 0, 3, Layout.NCW), dw.inputCopy());
    }

    @Test
    void aStrideBeyondThePaddedWidthBecomesOne() {
        // the earlier finding: stride 142540640 on K 2, causal, W 3 -> one column; oneDNN now sees stride 1
        Conv1dSpec spec = Conv1dSpec.builder(1, 7, 2).stride(142540640).padding(Padding.CAUSAL).bias(false).build();
        Lowering lw = lower(spec, TWO_D, 1, 3);
        assertEquals(Lowering.Variant.SINGLE_WINDOW, lw.variant());
        assertArrayEquals(new long[] {1, 1}, lw.strides());
        assertEquals(new InputCopy(2, 1, 1, Layout.NCW), lw.inputCopy());

        // a window that is the channels-first input itself is read in place, whatever the stride and the unread
        // right padding
        Conv1dSpec exact = Conv1dSpec.builder(2, 3, 5).stride(3).padding(Padding.explicit(0, 1))
                .paddingMode(PaddingMode.REFLECT).layout(Layout.NCW).build();
        Lowering inPlace = lower(exact, TWO_D, 1, 5);
        assertEquals(Lowering.Variant.SINGLE_WINDOW, inPlace.variant());
        assertNull(inPlace.inputCopy());
        assertDims(inPlace, new long[] {1, 10, 1, 1}, new long[] {3, 10, 1, 1}, new long[] {1, 3, 1, 1});
        assertSpatial(inPlace, new long[] {1, 1}, new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
        // channels last, it is gathered channels first
        assertEquals(new InputCopy(5, 0, 1, Layout.NCW),
                lower(exact.toBuilder().layout(Layout.NWC).build(), TWO_D, 1, 5).inputCopy());

        // a dilated window is gathered undilated: columns 0, 4, 8 of W 9
        Conv1dSpec dilated = Conv1dSpec.builder(2, 3, 3).dilation(4).build();
        Lowering gathered = lower(dilated, TWO_D, 1, 9);
        assertEquals(new InputCopy(3, 0, 4, Layout.NCW), gathered.inputCopy());
        assertSpatial(gathered, new long[] {1, 1}, new long[] {0, 0}, new long[] {0, 0}, new long[] {0, 0});
        assertArrayEquals(new long[] {1, 6, 1, 1}, gathered.srcDims());
    }

    @ParameterizedTest(name = "W={0}")
    @ValueSource(ints = {1, 2, 3, 7, 13, 17, 31, 97, 127, 1009})
    void oddWidthsKeepTheirGeometry(int width) {
        Conv1dSpec spec = Conv1dSpec.builder(3, 5, 1).stride(1).build();
        Conv1dSpec strided = Conv1dSpec.builder(3, 5, 3).stride(3).padding(Padding.SAME).layout(Layout.NWC).build();
        for (Target t : new Target[] {TWO_D, ONE_D}) {
            for (Conv1dSpec s : new Conv1dSpec[] {spec, strided}) {
                Geometry g = s.geometry(width);
                Lowering lw = Lowerer.lower(s, t, 3, g);
                long[] src = lw.srcDims();
                long[] dst = lw.dstDims();
                if (g.outWidth() == 1) {
                    assertEquals(Lowering.Variant.SINGLE_WINDOW, lw.variant(), lw.toString());
                    assertEquals(3L * s.kernelSize(), src[1], lw.toString());
                    assertEquals(1, src[src.length - 1], lw.toString());
                } else {
                    assertEquals(width, src[src.length - 1], lw.toString());
                }
                assertEquals(g.outWidth(), dst[dst.length - 1], lw.toString());
                assertEquals(3L * 3 * width, lw.srcElements());
                assertEquals(3L * 5 * g.outWidth(), lw.dstElements());
            }
        }
    }

    @Test
    void aOneDimensionalLoweringHasNoHeight() {
        Conv1dSpec spec = Conv1dSpec.builder(1, 1, 1).build();
        Geometry g = spec.geometry(4);
        Axis h = new Axis(2, 2, 1, 1, 0, 0, 0);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> new Lowering(spec,
                Mapping.ONE_D, 1, g, Lowering.Variant.FOLDED, h, Axis.UNIT, 1, ActivationFormat.NCW,
                WeightView.KERNEL_ALONG_HEIGHT, null, 0, false, Lowering.DataType.F32));
    }
}
