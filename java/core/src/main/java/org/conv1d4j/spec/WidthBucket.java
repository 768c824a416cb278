package org.conv1d4j.spec;

/**
 * Where one input width runs under an op's {@link WidthBuckets}, on the direct-buffer overload: the primitive's
 * input and output widths, and how many of its output columns are computed only to be cropped or overwritten.
 *
 * <p>A bucketed call runs either on one bucket primitive, fed a zero-tailed copy of the input, whose output is
 * cropped ({@code firstWindow} 0), or, for NWC convs with zero padding narrower than the kernel, on two window
 * primitives that read and write the caller's buffers in place: output columns {@code [0, firstWindow)} and
 * {@code [OW - tailWindow, OW)} ({@code tailWindow} 0 where the first window covers the output). A batch of small
 * NWC samples with stride 1, unpadded or with zero pads that add up to {@code (K - 1) D}, runs as one sequence
 * ({@code sequence}): its {@code N} samples end to end, {@code N W} columns, in windows, from whose output each
 * sample's {@code OW} columns are copied (or, padded so that {@code OW = W}, written in place, the columns next to
 * a sample boundary recomputed on a strip); the fields then describe the whole call. NCW calls on
 * {@link NcwStrategy#GEMM} run on no primitive at all ({@code gemm}): their rows are written in place.
 *
 * @param width the caller's input width {@code W}
 * @param outWidth the caller's output width {@code OW}
 * @param bucketed whether the call runs on a bucket's primitives (else on the exact primitive of its width)
 * @param primitiveWidth the columns the bucket primitive reads: the bucket {@code P'} of the padded width for a
 *     forward conv, {@code W'} for a transposed one; {@code W} where exact or in windows; {@code N W} for a sequence
 * @param primitiveOutWidth the output columns the primitives write, at least {@code OW} where bucketed (at least
 *     {@code N OW} for a sequence, its windows' and its strip's)
 * @param firstWindow the first window's output columns, or 0
 * @param tailWindow the tail window's output columns, or 0
 * @param gemm whether the call runs on oneDNN's sgemm, with sizes given at run time (not bucketed, nothing wasted)
 * @param sequence whether the batch runs as one sequence of {@code N W} columns
 */
public record WidthBucket(int width, int outWidth, boolean bucketed, int primitiveWidth, int primitiveOutWidth,
                          int firstWindow, int tailWindow, boolean gemm, boolean sequence) {
    /**
     * A call on primitives.
     *
     * @param width the caller's input width {@code W}
     * @param outWidth the caller's output width {@code OW}
     * @param bucketed whether the call runs on a bucket's primitives
     * @param primitiveWidth the columns the bucket primitive reads
     * @param primitiveOutWidth the output columns the primitives write
     * @param firstWindow the first window's output columns, or 0
     * @param tailWindow the tail window's output columns, or 0
     */
    public WidthBucket(int width, int outWidth, boolean bucketed, int primitiveWidth, int primitiveOutWidth,
                       int firstWindow, int tailWindow) {
        this(width, outWidth, bucketed, primitiveWidth, primitiveOutWidth, firstWindow, tailWindow, false, false);
    }

    /**
     * A call on primitives or on the sgemm, not as a sequence.
     *
     * @param width the caller's input width {@code W}
     * @param outWidth the caller's output width {@code OW}
     * @param bucketed whether the call runs on a bucket's primitives
     * @param primitiveWidth the columns the bucket primitive reads
     * @param primitiveOutWidth the output columns the primitives write
     * @param firstWindow the first window's output columns, or 0
     * @param tailWindow the tail window's output columns, or 0
     * @param gemm whether the call runs on oneDNN's sgemm
     */
    public WidthBucket(int width, int outWidth, boolean bucketed, int primitiveWidth, int primitiveOutWidth,
                       int firstWindow, int tailWindow, boolean gemm) {
        this(width, outWidth, bucketed, primitiveWidth, primitiveOutWidth, firstWindow, tailWindow, gemm, false);
    }

    /**
     * A batch run as one sequence, in windows.
     *
     * @param width the caller's input width {@code W}
     * @param outWidth the caller's output width {@code OW}
     * @param batch {@code N}
     * @param firstWindow the sequence's first window's output columns
     * @param tailWindow the sequence's tail window's output columns, or 0
     * @param strip the output columns of the strip that recomputes a padded sequence's sample boundaries, or 0
     * @return the call's bucket
     */
    public static WidthBucket inSequence(int width, int outWidth, int batch, int firstWindow, int tailWindow,
                                         int strip) {
        return new WidthBucket(width, outWidth, true, batch * width, firstWindow + tailWindow + strip, firstWindow,
                tailWindow, false, true);
    }

    /**
     * A call on {@link NcwStrategy#GEMM}.
     *
     * @param width the caller's input width {@code W}
     * @param outWidth the caller's output width {@code OW}
     * @return the call's bucket: its own widths, nothing wasted
     */
    public static WidthBucket onGemm(int width, int outWidth) {
        return new WidthBucket(width, outWidth, false, width, outWidth, 0, 0, true, false);
    }

    /**
     * @return the output columns computed and then cropped, dropped or written twice, {@code primitiveOutWidth - OW}
     *     ({@code - N OW} for a sequence, whose count is the whole call's)
     */
    public int wastedColumns() {
        if (!bucketed) {
            return 0;
        }
        return primitiveOutWidth - (sequence ? primitiveWidth / width * outWidth : outWidth);
    }

    /** @return whether the call runs in windows on the caller's buffers */
    public boolean inWindows() {
        return firstWindow > 0;
    }
}
