package org.conv1d4j.spec;

/**
 * How a oneDNN engine handles channels-first ({@link Layout#NCW}) data. Channels-last data always goes in as
 * {@code nhwc} with no copy.
 */
public enum NcwStrategy {
    /**
     * Per shape, the strategy that measured faster on this library's benchmarks (see the README): {@link #GEMM} when
     * width buckets are on and either {@code 4 C_in K <= C_out} (a raw-waveform front end) or the stride is 1, the
     * padding zeros, {@code C_in >= 16} and {@code K <= 11}; else a primitive, reordered for depthwise convs.
     */
    AUTO,
    /** The primitive reads and writes {@code nchw} directly. */
    PLAIN,
    /** The primitive runs in its preferred layout; the input and output are reordered around it. */
    REORDER,
    /**
     * No primitive: oneDNN's {@code dnnl_sgemm}, which takes its sizes at run time, writes the caller's {@code (C_out,
     * OW)} rows in place, per sample. A new width costs no plan, no copy of the output and no wasted column. For
     * float32 forward convs with groups 1 and no activation, in one of two forms:
     * <ul>
     *   <li>shifted taps, at stride 1 with zero padding where {@code 4 C_in K > C_out}: the bias broadcast, then one
     *   gemm per tap {@code k}, {@code (C_out x C_in)} weights times the caller's input rows shifted by
     *   {@code k * dilation - PW_L}, over the output columns whose tap lies in the input: nothing is copied;</li>
     *   <li>a column copy otherwise (any stride, dilation, padding and padding mode): one gemm on a Java copy of the
     *   columns each output reads ({@code C_in * K} floats per output column, plus a 1 for the bias), cheap where
     *   {@code C_in * K} is small next to {@code C_out}, as in the first layer of a raw-waveform model (wav2vec 2.0:
     *   C_in 1, K 10, C_out 512).</li>
     * </ul>
     * The sums run in another order than a primitive's: results differ from it by rounding only.
     */
    GEMM
}
