package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.Precision;

/**
 * Chooses the {@link Lowering} of a Conv1D: each rule has its home here, and each variant of the primitive is
 * made in one place. Pure Java: no native call.
 */
public final class Lowerer {
    private Lowerer() {
    }

    /**
     * Lowers one (batch, width) of an op.
     *
     * @param spec the op
     * @param target the op's engine options
     * @param batch {@code N}
     * @param g the caller's geometry, {@code spec.geometry(W)}
     * @return the description of the primitive to build
     */
    public static Lowering lower(Conv1dSpec spec, Target target, int batch, Geometry g) {
        Lowering.DataType compute = switch (target.precision()) {
            case F32 -> Lowering.DataType.F32;
            case BF16 -> Lowering.DataType.BF16;
            case INT8 -> Lowering.DataType.INT8;
        };
        if (isDeconvolution(spec)) {
            return transposed(spec, target, batch, g, compute);
        }
        if (g.outWidth() == 1) {
            return singleWindow(spec, target, batch, g, compute);
        }
        if (padsInJava(spec, g)) {
            return edgePadded(spec, target, batch, g, compute);
        }
        if (folds(spec, target.mapping(), g)) {
            return folded(spec, target, batch, g, compute);
        }
        return plain(spec, target, batch, g, compute);
    }

    /** The Conv1D as it is, with oneDNN's zero padding. */
    private static Lowering plain(Conv1dSpec spec, Target target, int batch, Geometry g, Lowering.DataType compute) {
        Axis w = new Axis(g.inWidth(), g.outWidth(), spec.kernelSize(), spec.stride(), spec.dilation() - 1,
                g.padLeft(), g.padRight());
        return new Lowering(spec, target.mapping(), batch, g, Lowering.Variant.PLAIN, Axis.UNIT, w, spec.inChannels(),
                format(spec, target), WeightView.AS_GIVEN, null, 0, reorderActivations(spec, target, false), compute);
    }

    /** A {@code valid} conv of the input padded in Java ({@link #padsInJava}), in the caller's layout. */
    private static Lowering edgePadded(Conv1dSpec spec, Target target, int batch, Geometry g,
                                       Lowering.DataType compute) {
        Axis w = new Axis(paddedWidth(g), g.outWidth(), spec.kernelSize(), spec.stride(), spec.dilation() - 1, 0, 0);
        return new Lowering(spec, target.mapping(), batch, g, Lowering.Variant.EDGE_PADDED, Axis.UNIT, w,
                spec.inChannels(), format(spec, target), WeightView.AS_GIVEN,
                new InputCopy(paddedWidth(g), g.padLeft(), 1, spec.layout()), 0,
                reorderActivations(spec, target, false), compute);
    }

    /** @return whether the op is a transposed conv, which oneDNN runs as a deconvolution */
    static boolean isDeconvolution(Conv1dSpec spec) {
        return spec.op() == Op.CONV_TRANSPOSE1D;
    }

    /**
     * The edge-padding rule: oneDNN pads with zeros only, so other modes pad in Java into a buffer and convolve it
     * with no padding. So does zero padding as wide as the effective kernel (outputs that see only padding), which
     * crashed oneDNN's brgemm kernels (SIGSEGV in {@code perform_outwork}, found by the property tests).
     */
    static boolean padsInJava(Conv1dSpec spec, Geometry g) {
        return !isDeconvolution(spec) && (g.padLeft() > 0 || g.padRight() > 0)
                && (spec.paddingMode() != PaddingMode.ZEROS || g.padLeft() >= g.effectiveKernel()
                || g.padRight() >= g.effectiveKernel());
    }

    private static int paddedWidth(Geometry g) {
        return g.inWidth() + g.padLeft() + g.padRight();
    }

    /**
     * One output column is one window: the padded columns {@code k d} for {@code k < K}, whatever the stride, and
     * the output is the dot product of the weights with the window's {@code C_in * K} values. Java gathers them
     * ({@link InputCopy} of width {@code K} and step {@code d}, any padding mode) channels first, so that
     * {@code (N, C_in, K)} reads as {@code (N, C_in * K, 1, 1)}, and oneDNN computes a 1x1 convolution of width 1
     * with {@code C_in * K} input channels (grouped as the op: a group's channels are contiguous) on the weights
     * {@code (O, I/G, K)} read as {@code (O, I/G * K)} ({@link WeightView#WINDOW_AS_CHANNELS}). The same products
     * summed over the same {@code C_in/G * K} terms, so the result is the reference's within the same bound; the
     * {@code (N, C_out, 1, 1)} output is the same bytes in either layout. Where the window is the caller's input
     * as it lies ({@code L = 0}, {@code d = 1}, {@code W = K}, channels first or one channel) it is read in place.
     *
     * <p>oneDNN's convolution kernels, given the window as a width, asked for scratchpads they could not allocate
     * (33.9 GB for {@code K=1280, stride=4720429, causal, W=13}; 34.4 GB for {@code K=65536} on its own 65536
     * columns, both found by SpecFuzzTest), failed to build, or failed every later build (stride 142540640); its 1x1
     * kernels need a few KB. With two or more columns the stride is below the padded width, so no other variant
     * needs a stride clamp.
     */
    private static Lowering singleWindow(Conv1dSpec spec, Target target, int batch, Geometry g,
                                         Lowering.DataType compute) {
        int k = spec.kernelSize();
        boolean inPlace = g.padLeft() == 0 && spec.dilation() == 1 && g.inWidth() == k
                && (spec.layout() == Layout.NCW || spec.inChannels() == 1);
        return new Lowering(spec, target.mapping(), batch, g, Lowering.Variant.SINGLE_WINDOW, Axis.UNIT, Axis.UNIT,
                (long) spec.inChannels() * k, target.mapping().activationFormat(Layout.NCW),
                WeightView.WINDOW_AS_CHANNELS,
                inPlace ? null : new InputCopy(k, g.padLeft(), spec.dilation(), Layout.NCW), 0,
                reorderActivations(spec, target, false), compute);
    }

    /** The caller's activation format in the target's mapping. */
    private static ActivationFormat format(Conv1dSpec spec, Target target) {
        return target.mapping().activationFormat(spec.layout());
    }

    /**
     * Whether the dilation {@code d} folds into the height. With stride 1, zero padding handled by oneDNN and
     * {@code W}, {@code L}, {@code R} all multiples of {@code d}, output {@code t = q d + p} reads inputs
     * {@code (q + k) d + p - L}: for each phase {@code p} an undilated conv over {@code q}. So the dilated Conv1D is
     * exactly an undilated 2D conv on the copy-free view {@code (N, C, W/d, d)} (nhwc and nchw alike) with kernel
     * {@code (K, 1)} and padding {@code L/d, R/d} along the height, which reaches oneDNN's undilated kernels
     * (Conv-TasNet's dilated depthwise layer: 0.39 ms folded, 3.6 ms through the dilated path). NWC only: for
     * NCW the folded depthwise layer measured slower (2.3 vs 1.7 ms through the reorder).
     */
    static boolean folds(Conv1dSpec spec, Mapping mapping, Geometry g) {
        int d = spec.dilation();
        return mapping == Mapping.TWO_D && spec.layout() == Layout.NWC && !isDeconvolution(spec) && d > 1
                && spec.stride() == 1 && !padsInJava(spec, g)
                && g.inWidth() % d == 0 && g.padLeft() % d == 0 && g.padRight() % d == 0;
    }

    private static Lowering folded(Conv1dSpec spec, Target target, int batch, Geometry g, Lowering.DataType compute) {
        int d = spec.dilation();
        Axis h = new Axis(g.inWidth() / d, g.outWidth() / d, spec.kernelSize(), 1, 0, g.padLeft() / d,
                g.padRight() / d);
        Axis w = new Axis(d, d, 1, 1, 0, 0, 0);
        return new Lowering(spec, target.mapping(), batch, g, Lowering.Variant.FOLDED, h, w, spec.inChannels(),
                format(spec, target), WeightView.KERNEL_ALONG_HEIGHT, null, 0, reorderActivations(spec, target, true),
                compute);
    }

    /**
     * A transposed conv: oneDNN's deconvolution with the crops as padding. Where {@code output_padding} makes the
     * right crop negative, oneDNN rejected some negative {@code padding_r} and corrupted the heap writing a strided
     * view (property tests), so the primitive writes the first {@code OW + R} columns densely and the rest are a
     * bias tail. A transposed conv of one input column does not depend on its stride, and oneDNN hung on stride
     * 1576402943 (SpecFuzzTest), so it gets stride 1.
     */
    private static Lowering transposed(Conv1dSpec spec, Target target, int batch, Geometry g,
                                       Lowering.DataType compute) {
        int tail = Math.max(-g.padRight(), 0);
        Axis w = new Axis(g.inWidth(), g.outWidth() - tail, spec.kernelSize(), g.inWidth() == 1 ? 1 : spec.stride(),
                spec.dilation() - 1, g.padLeft(), Math.max(g.padRight(), 0));
        return new Lowering(spec, target.mapping(), batch, g, Lowering.Variant.TRANSPOSED, Axis.UNIT, w,
                spec.inChannels(), format(spec, target), WeightView.AS_GIVEN, null, tail,
                reorderActivations(spec, target, false), compute);
    }

    /**
     * Whether activations go through the primitive's preferred layout: always in bf16 and int8, where the reorder
     * also converts the input to bf16 or quantizes it; for NWC data, for dilated depthwise layers that are not
     * folded; for NCW data as the strategy says. {@link org.conv1d4j.spec.NcwStrategy#AUTO} reorders for depthwise
     * convolutions, where the plain {@code nchw} kernels measured up to 8x slower (Conv-TasNet 13.4 vs 1.7 ms), and
     * reads {@code nchw} directly otherwise (S3 31.6 vs 37.6 ms).
     */
    static boolean reorderActivations(Conv1dSpec spec, Target target, boolean folded) {
        if (target.precision() != Precision.F32) {
            return true; // the reorders convert the f32 input to bf16, or quantize it to u8
        }
        if (spec.layout() == Layout.NWC) {
            // oneDNN's depthwise kernel reads nhwc directly, but not with dilation: the Conv-TasNet layer (C 512,
            // K 3, dilation 8, W 4000) took 10.8 ms on nhwc and 3.5 ms through the preferred layout; other layers
            // measured the same either way (NcwBenchmark, SuiteBenchmark)
            return spec.isDepthwise() && spec.dilation() > 1 && !folded;
        }
        return switch (target.ncwStrategy()) {
            case PLAIN -> false;
            case REORDER -> true;
            case AUTO, GEMM -> spec.isDepthwise(); // GEMM: a call the sgemm path does not take
        };
    }
}
