package org.conv1d4j.net;

import java.util.List;

/**
 * {@code PRelu} with one slope per channel, or one for all: {@code y = x >= 0 ? x : slope[c]*x}.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param slope {@code C} floats, or one (copied)
 */
public record PReluNode(String name, String input, String output, float[] slope) implements NetNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param slope {@code C} floats, or one (copied)
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public PReluNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        if (slope == null || slope.length == 0) {
            throw new IllegalArgumentException("slope: must hold one value, or one per channel");
        }
        slope = slope.clone();
    }

    /** @return a copy of the slopes */
    @Override
    public float[] slope() {
        return slope.clone();
    }

    @Override
    public String opType() {
        return "PRelu";
    }

    @Override
    public List<String> inputs() {
        return List.of(input);
    }

    @Override
    public int outputChannels(int... inputChannels) {
        int c = NodeChecks.oneInput(inputChannels, 1);
        if (slope.length != 1 && slope.length != c) {
            throw new IllegalArgumentException("channels: " + slope.length + " slopes for an input of " + c
                    + " channels");
        }
        return c;
    }

    @Override
    public int outputWidth(int... inputWidths) {
        return NodeChecks.oneInput(inputWidths, 1);
    }
}
