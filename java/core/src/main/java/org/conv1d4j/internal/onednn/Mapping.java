package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.memory;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;

/**
 * How a Conv1D is described to oneDNN. {@link #TWO_D} is the library's point: a height-1 2D convolution, as
 * TensorFlow does; {@link #ONE_D} uses oneDNN's own 3D ({@code ncw}) descriptors for comparison.
 */
enum Mapping {
    /** Activations {@code (N, C, 1, W)}, weights {@code (O, I/G, 1, K)} or {@code (G, O/G, I/G, 1, K)}. */
    TWO_D,
    /** Activations {@code (N, C, W)}, weights {@code (O, I/G, K)} or {@code (G, O/G, I/G, K)}. */
    ONE_D;

    /** @return the engine that runs this mapping */
    Engine engine() {
        return this == TWO_D ? Engine.ONEDNN_2D : Engine.ONEDNN_1D;
    }

    /** The activation dims {@code (N, C, [1,] W)}. */
    long[] activationDims(int n, int c, int w) {
        return this == TWO_D ? new long[] {n, c, 1, w} : new long[] {n, c, w};
    }

    /** The plain tag of the user's activation layout. */
    memory.format_tag activationTag(Layout layout) {
        if (this == TWO_D) {
            return layout == Layout.NCW ? memory.format_tag.nchw : memory.format_tag.nhwc;
        }
        return layout == Layout.NCW ? memory.format_tag.ncw : memory.format_tag.nwc;
    }

    /** A spatial parameter: {@code {height, width}} in 2D, {@code {width}} in 1D. */
    long[] spatial(long height, long width) {
        return this == TWO_D ? new long[] {height, width} : new long[] {width};
    }

    /**
     * The weight dims oneDNN expects, {@code (O, I, [1,] K)} or {@code (G, O/G, I/G, [1,] K)} where O and I are the
     * primitive's output and input channels (for a deconvolution too).
     */
    long[] weightDims(Conv1dSpec spec) {
        int g = spec.groups();
        int o = spec.outChannels();
        int i = spec.inChannels();
        int k = spec.kernelSize();
        long[] dims = g == 1 ? new long[] {o, i, 1, k} : new long[] {g, o / g, i / g, 1, k};
        return dropHeight(dims);
    }

    /**
     * Strides that let oneDNN read the caller's weights where they are, in the dim order of
     * {@link #weightDims(Conv1dSpec)}: one strided descriptor covers every weight layout and groups, so the
     * caller's array is copied as-is and reordered once by oneDNN.
     */
    long[] weightStrides(Conv1dSpec spec) {
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

    private long[] dropHeight(long[] withHeight) {
        if (this == TWO_D) {
            return withHeight;
        }
        long[] out = new long[withHeight.length - 1];
        System.arraycopy(withHeight, 0, out, 0, withHeight.length - 2);
        out[out.length - 1] = withHeight[withHeight.length - 1];
        return out;
    }

    /** {@link #TWO_D}'s weight dims with the kernel along the height: {@code (O, I/G, K, 1)}, grouped likewise. */
    static long[] foldedWeightDims(Conv1dSpec spec) {
        return kernelAlongHeight(TWO_D.weightDims(spec));
    }

    /** {@link #TWO_D}'s weight strides for {@link #foldedWeightDims(Conv1dSpec)}: the same memory, dims swapped. */
    static long[] foldedWeightStrides(Conv1dSpec spec) {
        return kernelAlongHeight(TWO_D.weightStrides(spec));
    }

    private static long[] kernelAlongHeight(long[] twoD) {
        long[] out = twoD.clone();
        out[out.length - 2] = twoD[twoD.length - 1];
        out[out.length - 1] = twoD[twoD.length - 2];
        return out;
    }

    static boolean isDeconvolution(Conv1dSpec spec) {
        return spec.op() == Op.CONV_TRANSPOSE1D;
    }
}
