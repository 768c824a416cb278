package org.conv1d4j.net;

/**
 * {@code Slice} along W with step 1, as ONNX resolves its starts and ends inputs: a negative value counts from
 * the end ({@code + W}), then both are clamped to {@code [0, W]}; the output is {@code [start, end)}.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param start the first position kept
 * @param end one past the last position kept
 */
public record SliceNode(String name, String input, String output, long start, long end) implements SingleInputNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param start the first position kept
     * @param end one past the last position kept
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public SliceNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
    }

    @Override
    public String opType() {
        return "Slice";
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, 1);
        int from = first(w);
        int to = clamp(end, w);
        if (to <= from) {
            throw new IllegalArgumentException("width: slice [" + start + ", " + end + ") of width " + w
                    + " is empty");
        }
        return to - from;
    }

    /**
     * @param width the input width
     * @return the first position kept for that width
     */
    public int first(int width) {
        return clamp(start, width);
    }

    private static int clamp(long v, int w) {
        long r = v < 0 ? v + w : v;
        return (int) Math.max(0, Math.min(w, r));
    }
}
