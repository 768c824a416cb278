package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

/**
 * How a Conv1D is described to oneDNN. {@link #TWO_D} is the library's point: a 2D convolution whose height is 1
 * (or, folded, whose height carries the dilation's phases), as TensorFlow does; {@link #ONE_D} uses oneDNN's own
 * 3D ({@code ncw}) descriptors for comparison.
 */
public enum Mapping {
    /** Activations {@code (N, C, H, W)}, weights {@code (O, I/G, KH, KW)} or {@code (G, O/G, I/G, KH, KW)}. */
    TWO_D,
    /** Activations {@code (N, C, W)}, weights {@code (O, I/G, K)} or {@code (G, O/G, I/G, K)}. */
    ONE_D;

    /**
     * The mapping an engine uses.
     *
     * @param engine {@link Engine#ONEDNN_2D} or {@link Engine#ONEDNN_1D}
     * @return its mapping
     */
    public static Mapping of(Engine engine) {
        return engine == Engine.ONEDNN_1D ? ONE_D : TWO_D;
    }

    /** @return the engine that runs this mapping */
    public Engine engine() {
        return this == TWO_D ? Engine.ONEDNN_2D : Engine.ONEDNN_1D;
    }

    /** @return the plain format of the caller's activations in {@code layout} */
    public ActivationFormat activationFormat(Layout layout) {
        if (this == TWO_D) {
            return layout == Layout.NCW ? ActivationFormat.NCHW : ActivationFormat.NHWC;
        }
        return layout == Layout.NCW ? ActivationFormat.NCW : ActivationFormat.NWC;
    }

    /** The activation dims {@code (N, C, H, W)} in 2D, {@code (N, C, W)} in 1D (whose height is always 1). */
    public long[] activationDims(long n, long c, long h, long w) {
        return this == TWO_D ? new long[] {n, c, h, w} : new long[] {n, c, w};
    }

    /** A spatial parameter: {@code {height, width}} in 2D, {@code {width}} in 1D. */
    public long[] spatial(long height, long width) {
        return this == TWO_D ? new long[] {height, width} : new long[] {width};
    }

    /**
     * The weight dims {@code (O, I/G, KH, KW)} or {@code (G, O/G, I/G, KH, KW)} (no {@code KH} in 1D), where O and I
     * are the primitive's output and input channels (for a deconvolution too).
     */
    long[] weightDims(long g, long o, long i, long kh, long kw) {
        long[] dims = g == 1 ? new long[] {o, i, kh, kw} : new long[] {g, o / g, i / g, kh, kw};
        return dropHeight(dims);
    }

    /**
     * The caller's weights, with the kernel along the width, as the dims of this mapping.
     *
     * @param spec the op
     * @return {@code (O, I/G, 1, K)} (2D) or {@code (O, I/G, K)} (1D), grouped likewise
     */
    public long[] weightDims(Conv1dSpec spec) {
        return weightDims(spec.groups(), spec.outChannels(), spec.inChannels(), 1, spec.kernelSize());
    }

    /**
     * The caller's weights as a single-window lowering asks for them: the kernel merged into the input channels,
     * {@code (O, I/G * K, 1, 1)} (no height in 1D), grouped likewise. They are the dense {@code (O, I/G, 1, K)}
     * weights ({@link #denseWeightStrides(long[])} of {@link #weightDims(Conv1dSpec)}) read with other dims.
     *
     * @param spec the op
     * @return the dims
     */
    public long[] windowAsChannelsWeightDims(Conv1dSpec spec) {
        return weightDims(spec.groups(), spec.outChannels(), (long) spec.inChannels() * spec.kernelSize(), 1, 1);
    }

    /**
     * The strides of a dense row-major array of {@code dims}.
     *
     * @param dims the dims
     * @return the strides, in elements, the last one 1
     */
    public static long[] denseWeightStrides(long[] dims) {
        long[] strides = new long[dims.length];
        long s = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            strides[d] = s;
            s *= dims[d];
        }
        return strides;
    }

    /**
     * Strides that let oneDNN read the caller's weights where they are, in the dim order of
     * {@link #weightDims(Conv1dSpec)}: one strided descriptor covers every weight layout and groups, so the
     * caller's array is copied as-is and reordered once by oneDNN.
     *
     * @param spec the op
     * @return the strides, in elements
     */
    public long[] weightStrides(Conv1dSpec spec) {
        long g = spec.groups();
        long o = spec.outChannels();
        long i = spec.inChannels();
        long k = spec.kernelSize();
        long og = o / g;
        long ig = i / g;
        // strides of (group, out-in-group, in-in-group, k)
        long sg;
        long so;
        long si;
        long sk;
        switch (spec.weightLayout()) {
            case OIW -> { // (O, I/G, K): o = group*og + oo
                so = ig * k;
                si = k;
                sk = 1;
                sg = og * so;
            }
            case WIO -> { // (K, I/G, O)
                so = 1;
                si = o;
                sk = ig * o;
                sg = og;
            }
            case IOW -> { // (I, O/G, K): i = group*ig + ii
                so = k;
                si = og * k;
                sk = 1;
                sg = ig * si;
            }
            default -> { // WOI (K, O, I), groups 1
                so = i;
                si = 1;
                sk = o * i;
                sg = 0;
            }
        }
        long sh = sk * k; // height is 1: any stride describes it; this one keeps the descriptor dense
        long[] strides = g == 1 ? new long[] {so, si, sh, sk} : new long[] {sg, so, si, sh, sk};
        return dropHeight(strides);
    }

    /**
     * {@link #TWO_D}'s weights with the kernel along the height, {@code (O, I/G, K, 1)} (grouped likewise), as a
     * folded lowering asks for them.
     *
     * @param spec the op
     * @return the dims
     */
    public static long[] foldedWeightDims(Conv1dSpec spec) {
        return kernelAlongHeight(TWO_D.weightDims(spec));
    }

    /**
     * The strides of the caller's weights for {@link #foldedWeightDims(Conv1dSpec)}: the same memory, dims swapped.
     *
     * @param spec the op
     * @return the strides, in elements
     */
    public static long[] foldedWeightStrides(Conv1dSpec spec) {
        return kernelAlongHeight(TWO_D.weightStrides(spec));
    }

    private static long[] kernelAlongHeight(long[] twoD) {
        long[] out = twoD.clone();
        out[out.length - 2] = twoD[twoD.length - 1];
        out[out.length - 1] = twoD[twoD.length - 2];
        return out;
    }

    private long[] dropHeight(long[] withHeight) {
        if (this == TWO_D) {
            return withHeight;
        }
        long[] out = new long[withHeight.length - 1];
        System.arraycopy(withHeight, 0, out, 0, withHeight.length - 2);
        out[out.length - 1] = withHeight[withHeight.length - 1];
        return out;
    }
}
