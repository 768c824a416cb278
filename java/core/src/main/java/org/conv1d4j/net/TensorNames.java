package org.conv1d4j.net;

/**
 * How a weights file names a layer's tensors, for {@link NetBuilder}'s methods that take a layer's name. The
 * layout of a conv's weight tensor is not a matter of names: it is the spec's
 * {@link org.conv1d4j.spec.Conv1dSpec#weightLayout()} ({@code OIW} for PyTorch, {@code WIO} for Keras).
 */
public enum TensorNames {
    /**
     * A PyTorch {@code state_dict}: {@code conv1.weight}, {@code conv1.bias}; {@code bn1.weight}, {@code bn1.bias},
     * {@code bn1.running_mean}, {@code bn1.running_var}; PReLU {@code act.weight}. BatchNorm's default epsilon is
     * PyTorch's {@code 1e-5}.
     */
    PYTORCH('.', "weight", "bias", "weight", "bias", "running_mean", "running_var", "weight", 1e-5),
    /**
     * Keras 3 variable paths: {@code conv1d/kernel}, {@code conv1d/bias}; {@code bn/gamma}, {@code bn/beta},
     * {@code bn/moving_mean}, {@code bn/moving_variance}; PReLU {@code act/alpha}. BatchNorm's default epsilon is
     * Keras' {@code 1e-3}.
     */
    KERAS('/', "kernel", "bias", "gamma", "beta", "moving_mean", "moving_variance", "alpha", 1e-3);

    private final char separator;
    private final String convWeight;
    private final String convBias;
    private final String normScale;
    private final String normBias;
    private final String normMean;
    private final String normVariance;
    private final String preluSlope;
    private final double defaultEpsilon;

    TensorNames(char separator, String convWeight, String convBias, String normScale, String normBias,
            String normMean, String normVariance, String preluSlope, double defaultEpsilon) {
        this.separator = separator;
        this.convWeight = convWeight;
        this.convBias = convBias;
        this.normScale = normScale;
        this.normBias = normBias;
        this.normMean = normMean;
        this.normVariance = normVariance;
        this.preluSlope = preluSlope;
        this.defaultEpsilon = defaultEpsilon;
    }

    /**
     * @param layer the layer's name, e.g. {@code conv1} or {@code blocks.0.conv}
     * @return its conv weight tensor's name
     */
    public String convWeight(String layer) {
        return layer + separator + convWeight;
    }

    /**
     * @param layer the layer's name
     * @return its conv bias tensor's name
     */
    public String convBias(String layer) {
        return layer + separator + convBias;
    }

    /**
     * @param layer the layer's name
     * @return its BatchNorm scale (gamma) tensor's name
     */
    public String normScale(String layer) {
        return layer + separator + normScale;
    }

    /**
     * @param layer the layer's name
     * @return its BatchNorm shift (beta) tensor's name
     */
    public String normBias(String layer) {
        return layer + separator + normBias;
    }

    /**
     * @param layer the layer's name
     * @return its BatchNorm running mean's name
     */
    public String normMean(String layer) {
        return layer + separator + normMean;
    }

    /**
     * @param layer the layer's name
     * @return its BatchNorm running variance's name
     */
    public String normVariance(String layer) {
        return layer + separator + normVariance;
    }

    /**
     * @param layer the layer's name
     * @return its PReLU slope tensor's name
     */
    public String preluSlope(String layer) {
        return layer + separator + preluSlope;
    }

    /** @return the framework's default BatchNorm epsilon */
    public double defaultEpsilon() {
        return defaultEpsilon;
    }
}
