package org.conv1d4j.net;

import org.conv1d4j.spec.Activation;

import java.util.Locale;

/**
 * The element-wise activations of a network, each with its formula in terms of the node's {@code alpha} and
 * {@code beta}. {@link #apply(double, double, double)} is that formula in double precision; where an
 * {@link Activation} of single ops computes the same function, it is that activation's formula.
 */
public enum Pointwise {
    /** {@code max(x, 0)} (ONNX {@code Relu}). */
    RELU("Relu"),
    /** {@code x >= 0 ? x : alpha*x} (ONNX {@code LeakyRelu}, default alpha 0.01). */
    LEAKY_RELU("LeakyRelu"),
    /** {@code x >= 0 ? x : alpha*(exp(x)-1)} (ONNX {@code Elu}, default alpha 1). */
    ELU("Elu"),
    /** {@code tanh(x)}. */
    TANH("Tanh"),
    /** {@code 1/(1+exp(-x))}. */
    SIGMOID("Sigmoid"),
    /** {@code min(max(x, alpha), beta)} (ONNX {@code Clip} with min alpha and max beta). */
    CLIP("Clip"),
    /** {@code max(0, min(1, alpha*x + beta))} (ONNX {@code HardSigmoid}, defaults 0.2 and 0.5). */
    HARD_SIGMOID("HardSigmoid"),
    /** {@code x * max(0, min(1, x/6 + 1/2))} (ONNX {@code HardSwish}). */
    HARD_SWISH("HardSwish"),
    /** {@code 0.5*x*(1+erf(x/sqrt 2))} (ONNX {@code Gelu}, and the {@code Div, Erf, Add, Mul, Mul} pattern). */
    GELU("Gelu"),
    /** {@code 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3)))} (ONNX {@code Gelu} with {@code approximate = tanh}). */
    GELU_TANH("Gelu"),
    /** {@code x*sigmoid(x)} (the {@code Sigmoid, Mul} pattern, PyTorch's SiLU). */
    SILU("Sigmoid+Mul");

    private final String onnxName;

    Pointwise(String onnxName) {
        this.onnxName = onnxName;
    }

    /** @return the ONNX op (or pattern) this activation comes from */
    public String onnxName() {
        return onnxName;
    }

    /**
     * Evaluates the activation.
     *
     * @param x the input
     * @param alpha the first parameter (ignored by activations without one)
     * @param beta the second parameter (ignored by activations without one)
     * @return {@code f(x)}
     */
    public double apply(double x, double alpha, double beta) {
        return switch (this) {
            case RELU -> Activation.RELU.apply(x, 0);
            case LEAKY_RELU -> Activation.LEAKY_RELU.apply(x, alpha);
            case ELU -> Activation.ELU.apply(x, alpha);
            case TANH -> Activation.TANH.apply(x, 0);
            case SIGMOID -> Activation.SIGMOID.apply(x, 0);
            case CLIP -> Math.min(Math.max(x, alpha), beta);
            case HARD_SIGMOID -> Math.max(0, Math.min(1, alpha * x + beta));
            case HARD_SWISH -> x * Math.max(0, Math.min(1, x / 6 + 0.5));
            case GELU -> Activation.GELU_ERF.apply(x, 0);
            case GELU_TANH -> Activation.GELU_TANH.apply(x, 0);
            case SILU -> Activation.SWISH.apply(x, 1);
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
