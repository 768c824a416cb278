package org.conv1d4j.net;

import java.util.List;

/**
 * {@code Concat} along the channels: the inputs' channels one after the other; every input has the same width.
 *
 * @param name the node's name
 * @param inputs the input tensors, at least one
 * @param output the output tensor
 */
public record ConcatNode(String name, List<String> inputs, String output) implements NetNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param inputs the input tensors, at least one
     * @param output the output tensor
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public ConcatNode {
        NodeChecks.name("name", name);
        inputs = NodeChecks.names("inputs", inputs);
        NodeChecks.name("output", output);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("inputs: Concat needs at least one input");
        }
    }

    @Override
    public String opType() {
        return "Concat";
    }

    @Override
    public int outputChannels(int... inputChannels) {
        NodeChecks.oneInput(inputChannels, inputs.size());
        long sum = 0;
        for (int c : inputChannels) {
            sum += c;
        }
        if (sum > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("channels: " + sum + " channels exceed 2^31-9");
        }
        return (int) sum;
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, inputs.size());
        for (int v : inputWidths) {
            if (v != w) {
                throw new IllegalArgumentException("width: the inputs' widths differ (" + w + " and " + v + ")");
            }
        }
        return w;
    }
}
