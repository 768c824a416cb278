package org.conv1d4j.net;

/**
 * {@code PRelu} with one slope per channel, or one for all: {@code y = x >= 0 ? x : slope[c]*x}.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param slope {@code C} floats, or one (copied)
 */
// the arrays are the layer's parameters, held as given (they can be large); nodes are told apart by name, never
// compared or hashed by content
@SuppressWarnings("ArrayRecordComponent")
public record PReluNode(String name, String input, String output, float[] slope) implements SingleInputNode {

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
    public int outputChannels(int... inputChannels) {
        int c = NodeChecks.oneInput(inputChannels, 1);
        if (slope.length != 1 && slope.length != c) {
            throw new IllegalArgumentException("channels: " + slope.length + " slopes for an input of " + c
                    + " channels");
        }
        return c;
    }
}
