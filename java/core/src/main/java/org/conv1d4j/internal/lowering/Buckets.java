package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.WidthBuckets;

/**
 * Maps a call's geometry to the width bucket whose primitive runs it, and a bucket to the geometry that primitive is
 * built for. Pure Java, no allocation per call ({@link #key}).
 *
 * <p>Forward conv: the bucket is over the padded width {@code P = W + L + R}. The primitive is the exact lowering of
 * a {@code valid} conv of width {@code P' = bucket(P)} (rounded up to a multiple of the dilation, so that the
 * dilation can still fold): Java copies the input padded as the call's own geometry says ({@code same}'s split comes
 * from the real {@code W}, any padding mode) into columns {@code [0, P)} and zeros {@code [P, P')}. Output column
 * {@code t < OW} reads columns {@code [t S, t S + KE)}, inside {@code [0, P)}: the same values, the same products.
 *
 * <p>Transposed conv: the bucket is over {@code W}. The primitive is the exact lowering of the transposed conv of
 * width {@code W'} cropping {@code L} on the left and nothing on the right; the input's columns {@code [W, W')} are
 * zero, so they add nothing to the first {@code (W-1) S + KE} full-output columns and only the bias to those after,
 * which is also what {@code output_padding}'s columns hold. The output is its first {@code OW} columns.
 *
 * <p>Calls keep their exact primitive where a bucket cannot help or would change the lowering's safety rules: a
 * single output column (its own variant), a transposed conv of one input column, and buckets whose buffers would
 * not fit an array.
 */
public final class Buckets {
    /** The {@link #key} of a call that runs on its exact primitive. */
    public static final int EXACT = 0;
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8L;

    private Buckets() {
    }

    /**
     * The bucket of one call.
     *
     * @param spec the op
     * @param rule the op's bucket rule
     * @param batch {@code N}
     * @param g the call's geometry
     * @return the primitive's input width {@code P'} (forward) or {@code W'} (transposed), or {@link #EXACT}
     */
    public static int key(Conv1dSpec spec, WidthBuckets rule, int batch, Geometry g) {
        if (rule.isExact()) {
            return EXACT;
        }
        if (spec.op() == Op.CONV_TRANSPOSE1D) {
            if (g.inWidth() == 1) {
                return EXACT;
            }
            int w = rule.bucket(g.inWidth());
            long out = transposedOut(spec, w, g.padLeft());
            return out < g.outWidth() || !fits(spec, batch, w, out) ? EXACT : w;
        }
        if (g.outWidth() == 1) {
            return EXACT;
        }
        long padded = (long) g.inWidth() + g.padLeft() + g.padRight();
        if (padded > MAX_ELEMENTS) {
            return EXACT;
        }
        long p = rule.bucket((int) padded);
        int d = spec.dilation();
        p = (p + d - 1) / d * d;
        long out = (p - g.effectiveKernel()) / spec.stride() + 1;
        return p > MAX_ELEMENTS || !fits(spec, batch, p, out) ? EXACT : (int) p;
    }

    /**
     * The geometry a bucket's primitive is built for: a {@code valid} conv of {@code key} columns, or a transposed
     * conv of {@code key} columns cropping the call's left crop (the same for every width of a spec) and nothing on
     * the right.
     *
     * @param spec the op
     * @param key a {@link #key} other than {@link #EXACT}
     * @param g the geometry of any call in the bucket
     * @return the bucket's geometry
     */
    public static Geometry geometry(Conv1dSpec spec, int key, Geometry g) {
        int ke = g.effectiveKernel();
        if (spec.op() == Op.CONV_TRANSPOSE1D) {
            return new Geometry(key, (int) transposedOut(spec, key, g.padLeft()), g.padLeft(), 0, ke);
        }
        return new Geometry(key, (key - ke) / spec.stride() + 1, 0, 0, ke);
    }

    /**
     * Lowers a bucket: the exact lowering of its geometry, fed a zero-tailed copy of each call's input.
     *
     * @param spec the op
     * @param target the op's engine options
     * @param batch {@code N}
     * @param bucket the bucket's geometry, from {@link #geometry}
     * @return the bucketed lowering
     */
    public static Lowering lower(Conv1dSpec spec, Target target, int batch, Geometry bucket) {
        return Lowerer.lower(spec, target, batch, bucket)
                .asBucket(new InputCopy(bucket.inWidth(), 0, 1, spec.layout()));
    }

    /** @return the transposed output of {@code w} input columns cropped by {@code left} only */
    private static long transposedOut(Conv1dSpec spec, int w, int left) {
        return (long) (w - 1) * spec.stride() + spec.effectiveKernel() - left;
    }

    private static boolean fits(Conv1dSpec spec, int batch, long in, long out) {
        return out <= MAX_ELEMENTS && (long) batch * spec.inChannels() * in <= MAX_ELEMENTS
                && (long) batch * spec.outChannels() * out <= MAX_ELEMENTS;
    }
}
