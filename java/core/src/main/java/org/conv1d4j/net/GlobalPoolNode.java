package org.conv1d4j.net;

/**
 * {@code GlobalMaxPool} or {@code GlobalAveragePool}: the maximum or the mean over W; the output is 1 wide.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param max true for the maximum, false for the mean
 */
public record GlobalPoolNode(String name, String input, String output, boolean max) implements SingleInputNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param max true for the maximum, false for the mean
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public GlobalPoolNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
    }

    @Override
    public String opType() {
        return max ? "GlobalMaxPool" : "GlobalAveragePool";
    }

    @Override
    public int outputWidth(int... inputWidths) {
        NodeChecks.oneInput(inputWidths, 1);
        return 1;
    }
}
