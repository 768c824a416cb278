package org.conv1d4j.spec;

import java.util.Locale;

/**
 * The activation fused after the convolution, {@code y = f(conv(x) + b)}, with its parameter {@code alpha}.
 * Each constant documents its formula; {@link #apply(double, double)} is that formula in double precision
 * and is what the reference engine computes.
 */
public enum Activation {
    /** {@code x}. */
    NONE(0, 1),
    /** {@code max(x, 0)}. */
    RELU(0, 1),
    /** {@code x >= 0 ? x : alpha*x}; default slope 0.01 (PyTorch). */
    LEAKY_RELU(0.01, 1),
    /** {@code x >= 0 ? x : alpha*(exp(x)-1)}; default alpha 1. */
    ELU(1, 1),
    /** {@code 0.5*x*(1+erf(x/sqrt 2))}. */
    GELU_ERF(0, 1.13),
    /** {@code 0.5*x*(1+tanh(sqrt(2/pi)*(x+0.044715*x^3)))}. */
    GELU_TANH(0, 1.13),
    /** {@code tanh(x)}. */
    TANH(0, 1),
    /** {@code 1/(1+exp(-x))}. */
    SIGMOID(0, 0.25),
    /** {@code x*sigmoid(alpha*x)}; default beta 1 (SiLU). */
    SWISH(1, 1.1),
    /** {@code min(max(x, 0), alpha)}; default upper bound 6 (ReLU6). */
    CLIP(6, 1);

    private final double defaultAlpha;
    private final double lipschitz;

    Activation(double defaultAlpha, double lipschitz) {
        this.defaultAlpha = defaultAlpha;
        this.lipschitz = lipschitz;
    }

    /** @return the alpha used when the spec gives none */
    public double defaultAlpha() {
        return defaultAlpha;
    }

    /**
     * The largest slope of the function for the given alpha: how much an error in the pre-activation value can
     * grow through it. Used to derive cross-check tolerances.
     *
     * @param alpha the activation's parameter
     * @return {@code max |f'(x)|}
     */
    public double lipschitz(double alpha) {
        return switch (this) {
            case LEAKY_RELU -> Math.max(1, Math.abs(alpha));
            case ELU -> Math.max(1, Math.abs(alpha));
            case SWISH -> 1.1 * Math.max(1, Math.abs(alpha));
            default -> lipschitz;
        };
    }

    /**
     * The absolute error floor of evaluating the activation in float32, in units of the roundoff {@code u}: ELU is
     * computed as {@code alpha*(exp(x)-1)}, which near {@code x = 0} cancels to a result far smaller than the
     * few-ulp error of {@code exp(x) ~ 1} it inherits, scaled by alpha. The others' errors are relative to their
     * result and need no floor.
     *
     * @param alpha the activation's parameter
     * @return the floor, to be multiplied by {@code u}
     */
    public double absoluteErrorUlps(double alpha) {
        return this == ELU ? 8 * Math.abs(alpha) : 0;
    }

    /** @return the name used in {@code case.json} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the {@code case.json} name.
     *
     * @param name for example {@code relu} or {@code gelu_erf}
     * @return the activation
     * @throws IllegalArgumentException for an unknown name
     */
    public static Activation fromWireName(String name) {
        for (Activation a : values()) {
            if (a.wireName().equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("activation: unknown '" + name + "' (expected one of none, relu, "
                + "leaky_relu, elu, gelu_erf, gelu_tanh, tanh, sigmoid, swish, clip)");
    }

    /**
     * Evaluates the activation.
     *
     * @param x the pre-activation value
     * @param alpha the parameter (ignored by activations without one)
     * @return {@code f(x)}
     */
    public double apply(double x, double alpha) {
        return switch (this) {
            case NONE -> x;
            case RELU -> x > 0 ? x : 0.0 * x;
            case LEAKY_RELU -> x >= 0 ? x : alpha * x;
            case ELU -> x >= 0 ? x : alpha * Math.expm1(x);
            case GELU_ERF -> 0.5 * x * (1 + Erf.erf(x / Math.sqrt(2)));
            case GELU_TANH -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case SWISH -> x * sigmoid(alpha * x);
            case CLIP -> Math.min(Math.max(x, 0), alpha);
        };
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
