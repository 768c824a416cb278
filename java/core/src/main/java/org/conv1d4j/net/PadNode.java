package org.conv1d4j.net;

import org.conv1d4j.spec.PaddingMode;

import java.util.Objects;

/**
 * {@code Pad} along W: {@code left} positions before the input and {@code right} after it, filled as
 * {@link PaddingMode} says (ONNX {@code constant} with value 0 is {@link PaddingMode#ZEROS}, {@code reflect} is
 * {@link PaddingMode#REFLECT}, {@code edge} is {@link PaddingMode#REPLICATE}, {@code wrap} is
 * {@link PaddingMode#CIRCULAR}).
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param left positions added before the first input
 * @param right positions added after the last input
 * @param mode how they are filled
 */
public record PadNode(String name, String input, String output, int left, int right, PaddingMode mode)
        implements SingleInputNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param left positions added before the first input
     * @param right positions added after the last input
     * @param mode how they are filled
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public PadNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        Objects.requireNonNull(mode, "mode");
        if (left < 0 || right < 0) {
            throw new IllegalArgumentException("pads: must be >= 0, got [" + left + ", " + right + "]");
        }
    }

    @Override
    public String opType() {
        return "Pad";
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, 1);
        if (mode == PaddingMode.REFLECT && (left >= w || right >= w)) {
            throw new IllegalArgumentException("width: reflect padding [" + left + ", " + right
                    + "] must be smaller than the width " + w);
        }
        if (mode == PaddingMode.CIRCULAR && (left > w || right > w)) {
            throw new IllegalArgumentException("width: wrap padding [" + left + ", " + right
                    + "] must not exceed the width " + w);
        }
        long out = (long) w + left + right;
        if (out > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("width: " + w + " padded by [" + left + ", " + right
                    + "] exceeds 2^31-9");
        }
        return (int) out;
    }
}
