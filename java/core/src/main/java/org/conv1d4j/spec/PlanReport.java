package org.conv1d4j.spec;

/**
 * What oneDNN was asked for and what it chose for one (batch, width) of an op: the evidence {@code explain} prints,
 * returned by {@code Conv1d.describe}. Descriptors are written as oneDNN's verbose mode names them: dims, then the
 * format ({@code acdb}, {@code aBcd16b}, ...).
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
 * @param reordersActivations whether inputs and outputs are reordered around the primitive
 * @param scratchpadBytes the user scratchpad each concurrent execution holds
 */
public record PlanReport(Engine engine, String primitive, String src, String weights, String userWeights, String dst,
                         String userSrc, String userDst, long[] strides, long[] dilates, long[] paddingL,
                         long[] paddingR, String implementation, boolean reordersActivations, long scratchpadBytes) {
}
