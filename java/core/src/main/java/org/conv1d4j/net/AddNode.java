package org.conv1d4j.net;

import java.util.List;

/**
 * {@code Add} of two tensors of the same shape (a residual connection); no broadcasting.
 *
 * @param name the node's name
 * @param first the first input
 * @param second the second input
 * @param output the output tensor
 */
public record AddNode(String name, String first, String second, String output) implements NetNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param first the first input
     * @param second the second input
     * @param output the output tensor
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public AddNode {
        NodeChecks.name("name", name);
        NodeChecks.name("first", first);
        NodeChecks.name("second", second);
        NodeChecks.name("output", output);
    }

    @Override
    public String opType() {
        return "Add";
    }

    @Override
    public List<String> inputs() {
        return List.of(first, second);
    }

    @Override
    public int outputChannels(int... inputChannels) {
        int c = NodeChecks.oneInput(inputChannels, 2);
        if (inputChannels[1] != c) {
            throw new IllegalArgumentException("channels: adds " + c + " to " + inputChannels[1]
                    + " channels; the shapes must be the same");
        }
        return c;
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, 2);
        if (inputWidths[1] != w) {
            throw new IllegalArgumentException("width: adds width " + w + " to width " + inputWidths[1]
                    + "; the shapes must be the same");
        }
        return w;
    }
}
