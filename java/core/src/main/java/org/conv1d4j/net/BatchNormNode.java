package org.conv1d4j.net;

/**
 * {@code BatchNormalization} in inference mode, per channel {@code c}:
 * {@code y = scale[c] * (x - mean[c]) / sqrt(var[c] + epsilon) + bias[c]}.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param scale {@code C} floats (copied)
 * @param bias {@code C} floats (copied)
 * @param mean the running mean, {@code C} floats (copied)
 * @param variance the running variance, {@code C} floats (copied)
 * @param epsilon added to the variance
 */
// the arrays are the layer's parameters, held as given (they can be large); nodes are told apart by name, never
// compared or hashed by content
@SuppressWarnings("ArrayRecordComponent")
public record BatchNormNode(String name, String input, String output, float[] scale, float[] bias, float[] mean,
        float[] variance, double epsilon) implements SingleInputNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param scale {@code C} floats (copied)
     * @param bias {@code C} floats (copied)
     * @param mean the running mean, {@code C} floats (copied)
     * @param variance the running variance, {@code C} floats (copied)
     * @param epsilon added to the variance
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public BatchNormNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        if (scale == null || scale.length == 0) {
            throw new IllegalArgumentException("scale: must hold one value per channel");
        }
        int c = scale.length;
        scale = scale.clone();
        bias = NodeChecks.copy("bias", bias, c);
        mean = NodeChecks.copy("mean", mean, c);
        variance = NodeChecks.copy("variance", variance, c);
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon: must be finite and >= 0, got " + epsilon);
        }
        for (int i = 0; i < c; i++) {
            if (!(variance[i] + epsilon > 0)) {
                throw new IllegalArgumentException("variance: variance + epsilon must be > 0, got " + variance[i]
                        + " + " + epsilon + " at channel " + i);
            }
        }
    }

    /** @return a copy of the scale */
    @Override
    public float[] scale() {
        return scale.clone();
    }

    /** @return a copy of the bias */
    @Override
    public float[] bias() {
        return bias.clone();
    }

    /** @return a copy of the mean */
    @Override
    public float[] mean() {
        return mean.clone();
    }

    /** @return a copy of the variance */
    @Override
    public float[] variance() {
        return variance.clone();
    }

    @Override
    public String opType() {
        return "BatchNormalization";
    }

    @Override
    public int outputChannels(int... inputChannels) {
        int c = NodeChecks.oneInput(inputChannels, 1);
        if (c != scale.length) {
            throw new IllegalArgumentException("channels: the parameters are for " + scale.length
                    + " channels, the input has " + c);
        }
        return c;
    }

    @Override
    public String toString() {
        return "BatchNormalization '" + name + "' " + input + " -> " + output + ": C=" + scale.length + ", epsilon="
                + epsilon;
    }
}
