package org.conv1d4j.spec;

import java.util.Arrays;
import java.util.Objects;

/**
 * What oneDNN was asked for and what it chose for one (batch, width) of an op: the evidence {@code explain} prints,
 * returned by {@code Conv1d.describe}. Descriptors are written as oneDNN's verbose mode names them: dims, then the
 * format ({@code acdb}, {@code aBcd16b}, ...).
 *
 * <p>The four arrays are copied in and out, so a report is immutable; {@link #equals(Object)},
 * {@link #hashCode()} and {@link #toString()} compare and print their contents ({@code strides=[1, 2]}).
 *
 * @param engine {@link Engine#ONEDNN_2D} (height-1 2D descriptors) or {@link Engine#ONEDNN_1D}
 * @param primitive {@code convolution_forward} or {@code deconvolution_forward}
 * @param src the source descriptor the primitive runs on (dims and format)
 * @param weights the weights descriptor the primitive runs on
 * @param userWeights the caller's weights as oneDNN reads them before the one-time reorder
 * @param dst the destination descriptor the primitive runs on
 * @param userSrc the caller's input descriptor
 * @param userDst the caller's output descriptor
 * @param strides the strides array
 * @param dilates the dilation array (framework dilation minus 1)
 * @param paddingL the left padding array
 * @param paddingR the right padding array
 * @param implementation oneDNN's {@code impl_info_str}
 * @param reordersInput whether the caller's input is reordered (or converted) into the primitive's format per call
 * @param reordersOutput whether the primitive's output is reordered into the caller's format per call
 * @param scratchpadBytes the user scratchpad each concurrent execution holds
 */
// the arrays are copied in and out and compared and printed by content (see below)
@SuppressWarnings("ArrayRecordComponent")
public record PlanReport(Engine engine, String primitive, String src, String weights, String userWeights, String dst,
                         String userSrc, String userDst, long[] strides, long[] dilates, long[] paddingL,
                         long[] paddingR, String implementation, boolean reordersInput, boolean reordersOutput,
                         long scratchpadBytes) {
    /**
     * Copies the arrays, so that the caller's later writes do not show.
     *
     * @param engine the engine
     * @param primitive the primitive kind
     * @param src the source descriptor
     * @param weights the weights descriptor
     * @param userWeights the caller's weights descriptor
     * @param dst the destination descriptor
     * @param userSrc the caller's input descriptor
     * @param userDst the caller's output descriptor
     * @param strides the strides array, copied
     * @param dilates the dilation array, copied
     * @param paddingL the left padding array, copied
     * @param paddingR the right padding array, copied
     * @param implementation oneDNN's {@code impl_info_str}
     * @param reordersInput whether the input is reordered
     * @param reordersOutput whether the output is reordered
     * @param scratchpadBytes the scratchpad size
     */
    public PlanReport {
        strides = strides.clone();
        dilates = dilates.clone();
        paddingL = paddingL.clone();
        paddingR = paddingR.clone();
    }

    /** @return a copy of the strides array */
    @Override
    public long[] strides() {
        return strides.clone();
    }

    /** @return a copy of the dilation array (framework dilation minus 1) */
    @Override
    public long[] dilates() {
        return dilates.clone();
    }

    /** @return a copy of the left padding array */
    @Override
    public long[] paddingL() {
        return paddingL.clone();
    }

    /** @return a copy of the right padding array */
    @Override
    public long[] paddingR() {
        return paddingR.clone();
    }

    /**
     * Equal when every component is, the arrays compared by content.
     *
     * @param o another object
     * @return whether {@code o} is a report of the same plan
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PlanReport r && engine == r.engine && primitive.equals(r.primitive) && src.equals(r.src)
                && weights.equals(r.weights) && userWeights.equals(r.userWeights) && dst.equals(r.dst)
                && userSrc.equals(r.userSrc) && userDst.equals(r.userDst) && Arrays.equals(strides, r.strides)
                && Arrays.equals(dilates, r.dilates) && Arrays.equals(paddingL, r.paddingL)
                && Arrays.equals(paddingR, r.paddingR) && implementation.equals(r.implementation)
                && reordersInput == r.reordersInput && reordersOutput == r.reordersOutput
                && scratchpadBytes == r.scratchpadBytes;
    }

    /** @return a hash of every component, the arrays by content */
    @Override
    public int hashCode() {
        return Objects.hash(engine, primitive, src, weights, userWeights, dst, userSrc, userDst,
                Arrays.hashCode(strides), Arrays.hashCode(dilates), Arrays.hashCode(paddingL), Arrays.hashCode(paddingR),
                implementation, reordersInput, reordersOutput, scratchpadBytes);
    }

    /** @return every component, the arrays by content */
    @Override
    public String toString() {
        return "PlanReport[engine=" + engine + ", primitive=" + primitive + ", src=" + src + ", weights=" + weights
                + ", userWeights=" + userWeights + ", dst=" + dst + ", userSrc=" + userSrc + ", userDst=" + userDst
                + ", strides=" + Arrays.toString(strides) + ", dilates=" + Arrays.toString(dilates) + ", paddingL="
                + Arrays.toString(paddingL) + ", paddingR=" + Arrays.toString(paddingR) + ", implementation="
                + implementation + ", reordersInput=" + reordersInput + ", reordersOutput=" + reordersOutput
                + ", scratchpadBytes="
                + scratchpadBytes + "]";
    }

    /** @return whether any activation is reordered per call, input or output */
    public boolean reordersActivations() {
        return reordersInput || reordersOutput;
    }
}
