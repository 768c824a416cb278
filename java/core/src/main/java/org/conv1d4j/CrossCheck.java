package org.conv1d4j;

import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;

import java.nio.FloatBuffer;
import java.util.function.IntToDoubleFunction;

/**
 * Runs an op and the reference engine on the same input and judges the difference against a bound derived from
 * float32 arithmetic, not tuned.
 *
 * <p><b>The bound.</b> Each output is {@code f(z)} with {@code z = b + sum of R products} ({@code R =
 * spec.reductionLength()}). Any summation order in float32 (unit roundoff {@code u = 2^-24}) gives
 * {@code |z_float - z| <= (R + 1) * u * S} with {@code S = |b| + sum |x||w|} (Higham, Accuracy and Stability of
 * Numerical Algorithms, 3.1). The activation multiplies that by at most its Lipschitz constant {@code L_f}
 * ({@link Activation#lipschitz(double)}), and rounding the result plus oneDNN's eltwise approximations add a few
 * units in the last place of {@code |y|}; ELU, computed as {@code alpha*(exp(z)-1)}, also carries an absolute
 * floor of a few ulps of alpha from the cancellation near 0 ({@link Activation#absoluteErrorUlps(double)}). So an
 * element passes when
 * <pre>{@code  |y - ref| <= L_f * (R + 1) * u * S + 8 * u * |ref| + floor_f * u}</pre>
 * {@code S} is computed exactly by running the reference on {@code |x|, |w|, |b|} with no activation. NaN matches
 * NaN and an infinity matches the same infinity (IEEE propagation); anything else non-finite fails.
 *
 * <p><b>bf16.</b> With {@link Precision#BF16} the inputs and weights are first rounded to bfloat16 (unit roundoff
 * {@code v = 2^-8}): each product {@code x w} becomes {@code x w (1 + d1)(1 + d2)} with {@code |d| <= v}, off by at
 * most {@code (2v + v^2) |x||w|}, and the float32 sum then runs over magnitudes up to {@code (1 + v)^2 S}. The
 * first term becomes {@code L_f * ((R + 1) * u * (1 + v)^2 + 2v + v^2) * S}.
 *
 * <p><b>int8.</b> With {@link Precision#INT8} the reference computes the same quantized arithmetic
 * ({@link #int8}): the same levels, the same exact integer sum {@code acc}, so the two can differ only in the float32
 * epilogue {@code z = acc * s_x * s_o + b}, which oneDNN may compute in another order (the two scales multiplied
 * first, a fused multiply-add). Each order rounds at most three times, so each is within {@code 3u |acc s_x s_o| +
 * u |z|} of the exact value and the two within twice that; with {@code |acc s_x s_o| <= |z| + |b|}:
 * <pre>{@code  |y - ref| <= L_f * (6u (|z| + |b|) + 2u |z|) + 8 * u * |ref| + floor_f * u}</pre>
 * where {@code z} is the reference's value before the activation. This checks the int8 kernel, not the
 * quantization: its error against float32 is not bounded but measured (the float32 bound rejects it).
 */
public final class CrossCheck {
    /** float32 unit roundoff. */
    public static final double UNIT_ROUNDOFF = 0x1p-24;
    /** Units in the last place allowed for the output's rounding and oneDNN's activation approximations. */
    public static final double OUTPUT_ULPS = 8;

    private final Conv1dSpec spec;
    private final float[] weights;
    private final float[] bias;
    private final Precision precision;
    private final Quantization inputQuantization;

    /**
     * A check of float32 results. For an op that may compute in another precision, use
     * {@link #of(Conv1d, float[], float[])}.
     *
     * @param spec the op's spec
     * @param weights the op's weights (as given to {@link Conv1d#create})
     * @param bias the op's bias or {@code null}
     * @throws IllegalArgumentException when an argument is null or does not fit the spec
     */
    public CrossCheck(Conv1dSpec spec, float[] weights, float[] bias) {
        this(spec, weights, bias, Precision.F32);
    }

    /**
     * A check of results computed in {@code precision}.
     *
     * @param spec the op's spec
     * @param weights the op's weights (as given to {@link Conv1d#create})
     * @param bias the op's bias or {@code null}
     * @param precision what the op under test computes in: float32 or bf16 (int8: {@link #int8})
     * @throws IllegalArgumentException when an argument is null or does not fit the spec, or the precision is int8
     */
    public CrossCheck(Conv1dSpec spec, float[] weights, float[] bias, Precision precision) {
        this(spec, weights, bias, precision, null);
        if (precision == Precision.INT8) {
            throw new IllegalArgumentException("precision: an int8 check needs the input's quantization; use "
                    + "CrossCheck.int8(spec, weights, bias, quantization)");
        }
    }

    /**
     * A check of int8 results against the reference's int8 arithmetic (see the class comment).
     *
     * @param spec the op's spec
     * @param weights the op's float weights (as given to {@link Conv1d#create}), quantized as the op quantizes them
     * @param bias the op's bias or {@code null}
     * @param inputQuantization the op's {@link Conv1dOptions#inputQuantization()}
     * @return the check
     * @throws IllegalArgumentException when an argument is null or does not fit the spec
     */
    public static CrossCheck int8(Conv1dSpec spec, float[] weights, float[] bias, Quantization inputQuantization) {
        if (inputQuantization == null) {
            throw new IllegalArgumentException("inputQuantization: must not be null");
        }
        return new CrossCheck(spec, weights, bias, Precision.INT8, inputQuantization);
    }

    private CrossCheck(Conv1dSpec spec, float[] weights, float[] bias, Precision precision,
                       Quantization inputQuantization) {
        if (spec == null) {
            throw new IllegalArgumentException("spec: must not be null");
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision: must not be null");
        }
        Checks.weights(spec, weights);
        if (spec.hasBias()) {
            Checks.arrayLength("bias", bias, spec.outChannels());
        } else if (bias != null) {
            throw new IllegalArgumentException("bias: the spec has bias=false but a bias was given");
        }
        this.spec = spec;
        this.weights = weights.clone();
        this.bias = bias == null ? null : bias.clone();
        this.precision = precision;
        this.inputQuantization = inputQuantization;
    }

    /**
     * A check for {@code op}, with its spec and the precision it computes in ({@link Conv1dOptions#precision()}),
     * so that a bf16 op is judged by the bf16 bound.
     *
     * @param op the op under test
     * @param weights the weights it was created with
     * @param bias the bias it was created with, or {@code null}
     * @return the check
     * @throws IllegalArgumentException when an argument is null or does not fit the op's spec
     */
    public static CrossCheck of(Conv1d op, float[] weights, float[] bias) {
        if (op == null) {
            throw new IllegalArgumentException("op: must not be null");
        }
        Conv1dOptions o = op.options();
        return o.precision() == Precision.INT8 ? int8(op.spec(), weights, bias, o.inputQuantization())
                : new CrossCheck(op.spec(), weights, bias, o.precision());
    }

    /** @return the precision whose bound this check applies */
    public Precision precision() {
        return precision;
    }

    /**
     * The result of one comparison.
     *
     * @param maxAbsError {@code max |y - ref|}
     * @param maxNormalizedError {@code max |y - ref| / S}
     * @param normalizedTolerance the bound on the normalized error, {@code L_f * (R + 1) * u} (plus the bf16 terms)
     * @param worstRatio the largest error over its element's bound; at most 1 passes
     * @param reductionLength {@code R}
     * @param mismatchedNonFinite elements where one side is NaN or infinite and the other is not the same
     * @param passed whether every element is within its bound
     */
    public record Report(double maxAbsError, double maxNormalizedError, double normalizedTolerance, double worstRatio,
                         int reductionLength, int mismatchedNonFinite, boolean passed) {
        @Override
        public String toString() {
            return String.format("max abs %.3e, max normalized %.3e (tolerance %.3e), %s", maxAbsError,
                    maxNormalizedError, normalizedTolerance, passed ? "PASS" : "FAIL");
        }
    }

    /**
     * Runs {@code op} and the reference on {@code input} and compares.
     *
     * @param op the op under test, built from this check's spec, weights and bias, computing in this check's
     *     precision
     * @param input the input
     * @param batch {@code N}
     * @param width {@code W}
     * @return the report
     * @throws IllegalArgumentException when the op does not match this check or the input does not fit
     */
    public Report check(Conv1d op, float[] input, int batch, int width) {
        requireMatching(op);
        return compare(op.forward(input, batch, width), input, batch, width);
    }

    /**
     * Runs {@code op} on a direct buffer, as a caller of {@link Conv1d#forward(FloatBuffer, FloatBuffer, int, int)}
     * would, and the reference on a copy of the same floats, and compares. The input's position is not changed.
     *
     * @param op the op under test, built from this check's spec, weights and bias, computing in this check's
     *     precision
     * @param input the input, {@link Conv1d#inputLength(int, int)} floats from its position
     * @param batch {@code N}
     * @param width {@code W}
     * @return the report
     * @throws IllegalArgumentException when the op does not match this check or the input does not fit
     */
    public Report check(Conv1d op, FloatBuffer input, int batch, int width) {
        requireMatching(op);
        FloatBuffer output = DirectBuffers.allocate(op.outputLength(batch, width));
        op.forward(input, output, batch, width);
        float[] in = new float[op.inputLength(batch, width)];
        input.get(input.position(), in);
        float[] actual = new float[output.capacity()];
        output.get(0, actual);
        return compare(actual, in, batch, width);
    }

    private void requireMatching(Conv1d op) {
        if (op == null) {
            throw new IllegalArgumentException("op: must not be null");
        }
        if (!op.spec().equals(spec)) {
            throw new IllegalArgumentException("op: its spec differs from this check's");
        }
        if (op.options().precision() != precision) {
            throw new IllegalArgumentException("op: computes in " + op.options().precision() + " but this check's "
                    + "bound is for " + precision + "; use CrossCheck.of(op, weights, bias)");
        }
        if (precision == Precision.INT8 && !op.options().inputQuantization().equals(inputQuantization)) {
            throw new IllegalArgumentException("op: quantizes its input with " + op.options().inputQuantization()
                    + " but this check with " + inputQuantization + "; use CrossCheck.of(op, weights, bias)");
        }
    }

    /**
     * Compares an output computed elsewhere against the reference.
     *
     * @param actual the output to judge
     * @param input the input it was computed from
     * @param batch {@code N}
     * @param width {@code W}
     * @return the report
     */
    public Report compare(float[] actual, float[] input, int batch, int width) {
        if (actual == null) {
            throw new IllegalArgumentException("actual: must not be null");
        }
        if (precision == Precision.INT8) {
            return compareInt8(actual, input, batch, width);
        }
        float[] ref;
        float[] scale;
        try (Conv1d reference = Conv1d.create(spec, weights, bias, Engine.REFERENCE);
             Conv1d magnitude = Conv1d.create(spec.toBuilder().activation(Activation.NONE).build(), abs(weights),
                     abs(bias), Engine.REFERENCE)) {
            ref = reference.forward(input, batch, width);
            scale = magnitude.forward(abs(input), batch, width);
        }
        if (actual.length != ref.length) {
            throw new IllegalArgumentException("actual: expected " + ref.length + " floats, got " + actual.length);
        }
        int r = spec.reductionLength();
        double v = precision.inputRoundoff();
        double tol = spec.activation().lipschitz(spec.alpha()) * ((r + 1) * UNIT_ROUNDOFF * (1 + v) * (1 + v)
                + 2 * v + v * v);
        double floor = spec.activation().absoluteErrorUlps(spec.alpha()) * UNIT_ROUNDOFF + Float.MIN_VALUE;
        return judge(actual, ref, tol, r, i -> scale[i],
                i -> tol * scale[i] + OUTPUT_ULPS * UNIT_ROUNDOFF * Math.abs(ref[i]) + floor);
    }

    /**
     * Judges every element: NaN matches NaN and an infinity the same infinity; a finite element passes when its error
     * is within {@code bound}; {@code scale} is what its error is normalised by.
     */
    private static Report judge(float[] actual, float[] ref, double tol, int r, IntToDoubleFunction scale,
                                IntToDoubleFunction bound) {
        double maxAbs = 0;
        double maxNorm = 0;
        double worst = 0;
        int nonFinite = 0;
        for (int i = 0; i < ref.length; i++) {
            double y = actual[i];
            double e = ref[i];
            if (!Double.isFinite(y) || !Double.isFinite(e)) {
                boolean same = Double.isNaN(y) ? Double.isNaN(e) : y == e;
                nonFinite += same ? 0 : 1;
                continue;
            }
            double err = Math.abs(y - e);
            double s = scale.applyAsDouble(i);
            maxAbs = Math.max(maxAbs, err);
            maxNorm = Math.max(maxNorm, s > 0 ? err / s : (err > 0 ? Double.POSITIVE_INFINITY : 0));
            worst = Math.max(worst, err / bound.applyAsDouble(i));
        }
        return new Report(maxAbs, maxNorm, tol, worst, r, nonFinite, nonFinite == 0 && worst <= 1);
    }

    private Report compareInt8(float[] actual, float[] input, int batch, int width) {
        Conv1dOptions int8 = Conv1dOptions.defaults().withEngine(Engine.REFERENCE).withInt8(inputQuantization);
        float[] ref;
        float[] z;
        try (Conv1d reference = Conv1d.create(spec, weights, bias, int8);
             Conv1d linear = Conv1d.create(spec.toBuilder().activation(Activation.NONE).build(), weights, bias,
                     int8)) {
            ref = reference.forward(input, batch, width);
            z = linear.forward(input, batch, width);
        }
        if (actual.length != ref.length) {
            throw new IllegalArgumentException("actual: expected " + ref.length + " floats, got " + actual.length);
        }
        double u = UNIT_ROUNDOFF;
        double lf = spec.activation().lipschitz(spec.alpha());
        double floor = spec.activation().absoluteErrorUlps(spec.alpha()) * u + Float.MIN_VALUE;
        int outWidth = ref.length / Math.max(1, batch * spec.outChannels());
        IntToDoubleFunction scale = i -> {
            int o = spec.layout() == Layout.NCW ? (i / outWidth) % spec.outChannels() : i % spec.outChannels();
            return Math.abs(z[i]) + (bias == null ? 0 : Math.abs(bias[o]));
        };
        return judge(actual, ref, 8 * u * lf, spec.reductionLength(), scale,
                i -> lf * (6 * u * scale.applyAsDouble(i) + 2 * u * Math.abs(z[i])) + OUTPUT_ULPS * u * Math.abs(ref[i])
                        + floor);
    }

    private static float[] abs(float[] a) {
        if (a == null) {
            return null;
        }
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.abs(a[i]);
        }
        return out;
    }
}
