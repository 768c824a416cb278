package org.conv1d4j.net;

/**
 * {@code MaxPool} or {@code AveragePool} along W. With the effective window {@code Ke = dilation*(kernel-1)+1}, the
 * output width is {@code floor} (or with {@code ceilMode}, {@code ceil}) of {@code (W + padLeft + padRight - Ke) /
 * stride}, plus 1; with {@code ceilMode} a last window that would start past the input and its left padding is
 * dropped (ONNX's and PyTorch's rule). Padded positions never win a max; an average divides by the positions of
 * the window inside the padded input ({@code countIncludePad}) or inside the input only.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param max true for the maximum, false for the average
 * @param kernel the window, at least 1
 * @param stride the step, at least 1
 * @param padLeft padding before the input
 * @param padRight padding after the input
 * @param dilation the spacing of the window's taps, at least 1
 * @param ceilMode whether the output width rounds up
 * @param countIncludePad whether an average counts padded positions
 */
public record PoolNode(String name, String input, String output, boolean max, int kernel, int stride, int padLeft,
        int padRight, int dilation, boolean ceilMode, boolean countIncludePad) implements SingleInputNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param max true for the maximum, false for the average
     * @param kernel the window, at least 1
     * @param stride the step, at least 1
     * @param padLeft padding before the input
     * @param padRight padding after the input
     * @param dilation the spacing of the window's taps, at least 1
     * @param ceilMode whether the output width rounds up
     * @param countIncludePad whether an average counts padded positions
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public PoolNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        if (kernel < 1 || stride < 1 || dilation < 1) {
            throw new IllegalArgumentException("kernel: kernel, stride and dilation must be >= 1, got " + kernel + ", "
                    + stride + ", " + dilation);
        }
        if (padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("pads: must be >= 0, got [" + padLeft + ", " + padRight + "]");
        }
        long window = (long) dilation * (kernel - 1) + 1;
        if (window > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("kernel: the dilated window overflows");
        }
        // the fields are not assigned yet: use the local window, not effectiveKernel()
        if (padLeft >= window || padRight >= window) {
            throw new IllegalArgumentException("pads: [" + padLeft + ", " + padRight
                    + "] must be smaller than the window " + window);
        }
    }

    /** @return {@code dilation*(kernel-1)+1} */
    public int effectiveKernel() {
        return dilation * (kernel - 1) + 1;
    }

    @Override
    public String opType() {
        return max ? "MaxPool" : "AveragePool";
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, 1);
        long span = (long) w + padLeft + padRight - effectiveKernel();
        if (span < 0) {
            throw new IllegalArgumentException("width: " + w + " padded by [" + padLeft + ", " + padRight
                    + "] is shorter than the window " + effectiveKernel());
        }
        long out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
        if (ceilMode && (out - 1) * stride >= (long) w + padLeft) {
            out--;
        }
        return (int) out;
    }
}
