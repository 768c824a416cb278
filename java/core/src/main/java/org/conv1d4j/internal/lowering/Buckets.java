package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.PaddingMode;
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
    /** The most output floats per sample, {@code OW C_out}, for which a batch runs as one sequence. */
    private static final long SEQUENCE_MAX_SAMPLE_OUTPUT = 32_768;

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

    /**
     * The windows of a call run in place: NWC forward convs with zero padding narrower than the kernel. Output
     * columns {@code [0, Q1)} come from a window primitive of width {@code Q1 = floor(OW)} padded {@code (L, 0)},
     * reading the caller's input from column 0, and columns {@code [OW - Q2, OW)} from one of width
     * {@code Q2 = bucket(OW - Q1)} (below one step, a multiple of a quarter step: S1's stream measured 93 ns per
     * column with 64-column tails, 81-86 with 16) padded {@code (0, R2)}, reading from column
     * {@link #tailStart}; the columns both
     * write get the same value twice. Where {@code OW} is itself a bucket, one window padded {@code (L, R2)} covers
     * it. Each window is the exact lowering of its own geometry, batch 1, run once per sample on the caller's
     * buffers: nothing is copied, and the window plans serve every batch.
     *
     * @param spec the op
     * @param rule the op's bucket rule
     * @param g the call's geometry
     * @return {@code Q1 << 32 | Q2} ({@code Q2} 0 where {@code Q1 = OW}), or 0 where the call does not run in windows
     */
    public static long windows(Conv1dSpec spec, WidthBuckets rule, Geometry g) {
        if (rule.isExact() || spec.op() != Op.CONV1D || spec.layout() != Layout.NWC || g.outWidth() < 2) {
            return 0;
        }
        int ke = g.effectiveKernel();
        int left = g.padLeft();
        if ((left > 0 || g.padRight() > 0)
                && (spec.paddingMode() != PaddingMode.ZEROS || left >= ke || g.padRight() >= ke)) {
            return 0;
        }
        int ow = g.outWidth();
        long stride = spec.stride();
        int q1 = rule.floor(ow);
        if (q1 == ow) {
            return (long) q1 << 32; // one window, padded (L, R2): a bucket's width is its own window
        }
        while (q1 >= 2 && (q1 - 1) * stride + ke - left > g.inWidth()) {
            q1 = rule.floor(q1 - 1);
        }
        if (q1 < 2) {
            return 0;
        }
        int rest = ow - q1;
        int fine = Math.max(1, rule.step() / 4);
        int q2 = Math.max(2, rest < rule.step() ? (rest + fine - 1) / fine * fine : rule.bucket(rest));
        if (q2 > ow || (ow - q2) * stride < left) {
            return 0;
        }
        return (long) q1 << 32 | q2;
    }

    /**
     * A batch of small NWC samples run as one sequence: with stride 1 and no padding (or zero padding whose two
     * sides add up to {@code (K - 1) D}, so that {@code OW = W}: see {@link #stripSegments}), where a call would run in
     * windows per sample (two primitive calls each) or on a bucket's copy, its samples lie end to end in the caller's
     * input, so one conv over those {@code N W} columns (in windows, batch 1) computes every sample's output: output
     * column {@code n W + t} of the sequence reads the same input as column {@code t} of sample {@code n} for
     * {@code t < OW}, and the {@code (K - 1) D} columns between two samples, which read both, are computed and
     * dropped when each sample's {@code OW} columns are copied out. Only where a sample's output is at most 32768
     * floats, where the saved primitive calls outweigh that copy: text-CNN's 300 -> 100, K 5, N 64, W 100-200 took
     * 0.83x the time of windows per sample and 64 -> 64, K 3, N 32, 0.61x, while 128 -> 128 at N 16, W 300-600 took
     * 1.02x and 256 -> 256 at N 8, W 1024-2048 1.04x.
     *
     * @param spec the op
     * @param rule the op's bucket rule
     * @param batch {@code N}
     * @param g the call's geometry
     * @return the sequence's geometry, or {@code null} where the call does not run as one
     */
    public static Geometry sequence(Conv1dSpec spec, WidthBuckets rule, int batch, Geometry g) {
        long width = sequenceWidth(spec, rule, batch, g);
        if (width == 0) {
            return null;
        }
        Geometry sequence = sequenceGeometry(g, width);
        return windows(spec, rule, sequence) != 0 ? sequence : null;
    }

    /**
     * The first half of {@link #sequence}, which allocates nothing: whether the batch, stride, padding and sizes
     * allow a sequence (its windows still have to exist).
     *
     * @param spec the op
     * @param rule the op's bucket rule
     * @param batch {@code N}
     * @param g the call's geometry
     * @return the sequence's input columns {@code N W}, or 0 where the call cannot run as one
     */
    public static long sequenceWidth(Conv1dSpec spec, WidthBuckets rule, int batch, Geometry g) {
        int span = g.effectiveKernel() - 1;
        boolean unpadded = g.padLeft() == 0 && g.padRight() == 0;
        boolean aligned = spec.paddingMode() == PaddingMode.ZEROS && g.padLeft() + g.padRight() == span
                && g.inWidth() >= span;
        if (rule.isExact() || spec.op() != Op.CONV1D || spec.layout() != Layout.NWC || batch < 2
                || spec.stride() != 1 || !(unpadded || aligned)
                || (long) g.outWidth() * spec.outChannels() > SEQUENCE_MAX_SAMPLE_OUTPUT) {
            return 0;
        }
        long in = (long) batch * g.inWidth();
        long strip = stripSegments(batch) * 3 * span;
        return fits(spec, 1, in, in + g.padLeft() + g.padRight() - span) && fits(spec, 1, strip, strip) ? in : 0;
    }

    /**
     * @param g a call's geometry
     * @param width what {@link #sequenceWidth} returned for it
     * @return the geometry of the sequence: {@code N W} columns in, padded as each sample is
     */
    public static Geometry sequenceGeometry(Geometry g, long width) {
        int span = g.effectiveKernel() - 1;
        return new Geometry((int) width, (int) (width + g.padLeft() + g.padRight() - span), g.padLeft(),
                g.padRight(), g.effectiveKernel());
    }

    /**
     * The boundary strip of a padded sequence, whose output width is {@code OW = W}, so that the sequence's output
     * column {@code n W + t} is sample {@code n}'s column {@code t} in place: but for the {@code R} last columns of
     * each sample but the last and the {@code L} first of each but the first, which read the neighbouring sample
     * where the sample's own padding is zeros. Those are recomputed from a strip of segments of {@code 3 (K - 1) D}
     * columns, one per boundary: the last {@code (K - 1) D} input columns of sample {@code n}, as many zeros, and
     * the first {@code (K - 1) D} of sample {@code n + 1}, run through the same conv unpadded ({@code 3 (K - 1) D}
     * columns, one per boundary, rounded up to a power of two of segments so that a few plans serve every batch).
     * Segment {@code s}'s output columns {@code [0, R)} are sample {@code s}'s last {@code R}, and its columns
     * {@code [2 (K - 1) D - L, 2 (K - 1) D)} sample {@code s + 1}'s first {@code L}.
     *
     * @param batch {@code N}, at least 2
     * @return the strip's segments: {@code N - 1} rounded up to a power of two
     */
    public static long stripSegments(int batch) {
        long boundaries = batch - 1L;
        long segments = Long.highestOneBit(boundaries);
        return segments < boundaries ? segments << 1 : segments;
    }

    /**
     * @param g a call's geometry, padded
     * @param batch {@code N}
     * @return the output columns of the strip's conv, {@code 3 (K - 1) D} per segment less {@code (K - 1) D}
     */
    public static int stripOutWidth(Geometry g, int batch) {
        int span = g.effectiveKernel() - 1;
        return (int) (stripSegments(batch) * 3 * span - span); // fits: sequenceWidth checked the strip's width
    }

    /**
     * The pads of the first window: {@code (L, 0)}, or {@code (L, R2)} where it is the only one.
     *
     * @param spec the op
     * @param g the call's geometry
     * @param windows what {@link #windows} returned
     * @return {@code padLeft << 32 | padRight}
     */
    public static long firstPads(Conv1dSpec spec, Geometry g, long windows) {
        return (long) g.padLeft() << 32 | ((int) windows == 0 ? tailRightPad(spec, g) : 0);
    }

    /**
     * @param g the call's geometry
     * @param spec the op
     * @return the right padding of the tail window, {@code R2}: what the call's last output column reads past the
     *     input
     */
    public static int tailRightPad(Conv1dSpec spec, Geometry g) {
        return (int) Math.max(0, (long) (g.outWidth() - 1) * spec.stride() + g.effectiveKernel() - g.padLeft()
                - g.inWidth());
    }

    /**
     * @param spec the op
     * @param g the call's geometry
     * @param q2 the tail window's output width
     * @return the input column the tail window reads first
     */
    public static int tailStart(Conv1dSpec spec, Geometry g, int q2) {
        return (g.outWidth() - q2) * spec.stride() - g.padLeft();
    }

    /**
     * The geometry of a window primitive.
     *
     * @param spec the op
     * @param q the window's output width
     * @param left its left padding ({@code L} for the first window, 0 for the tail)
     * @param right its right padding (0 for the first window, {@code R2} for the tail)
     * @return the geometry, whose input width is what the window reads
     */
    public static Geometry window(Conv1dSpec spec, int q, int left, int right) {
        int ke = spec.effectiveKernel();
        return new Geometry((q - 1) * spec.stride() + ke - left - right, q, left, right, ke);
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
