package org.conv1d4j.spec;

/**
 * Where one input width runs under an op's {@link WidthBuckets}: the primitive's input and output widths, and how
 * many of its output columns are computed only to be cropped.
 *
 * @param width the caller's input width {@code W}
 * @param outWidth the caller's output width {@code OW}
 * @param bucketed whether the call runs on a bucket's primitive (else on the exact primitive of its width)
 * @param primitiveWidth the columns the primitive reads: the bucket {@code P'} of the padded width for a forward
 *     conv, {@code W'} for a transposed one; {@code W} where exact
 * @param primitiveOutWidth the output columns the primitive writes, at least {@code OW} where bucketed
 */
public record WidthBucket(int width, int outWidth, boolean bucketed, int primitiveWidth, int primitiveOutWidth) {
    /** @return the output columns computed and cropped away, {@code primitiveOutWidth - outWidth} (0 where exact) */
    public int wastedColumns() {
        return bucketed ? primitiveOutWidth - outWidth : 0;
    }
}
