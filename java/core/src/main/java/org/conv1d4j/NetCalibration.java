package org.conv1d4j;

import org.conv1d4j.net.NetGraph;
import org.conv1d4j.internal.net.Calibrator;
import org.conv1d4j.internal.net.Int8Setup;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Quantization;

import java.util.Map;
import java.util.Set;

/**
 * What an int8 network ({@link NetOptions#withInt8(NetCalibration)}) is calibrated on: representative inputs, which
 * the float32 reference runs through the network once to see every tensor's values, and the {@link Calibration}
 * that turns each tensor's values into its {@link Quantization}; or every tensor's quantization given explicitly.
 * Immutable (the samples are copied).
 */
public final class NetCalibration {
    private final float[] samples;
    private final int batch;
    private final int width;
    private final Calibration calibration;
    private final Map<String, Quantization> explicit;
    /** The layer choice's tolerance, or NaN for every conv in int8. */
    private final double tolerance;

    private NetCalibration(float[] samples, int batch, int width, Calibration calibration,
                           Map<String, Quantization> explicit, double tolerance) {
        this.samples = samples;
        this.batch = batch;
        this.width = width;
        this.calibration = calibration;
        this.explicit = explicit;
        this.tolerance = tolerance;
    }

    /**
     * Calibration on samples by their range ({@link Calibration#minMax()}).
     *
     * @param samples {@code batch} inputs of width {@code width} in the model's layout {@code (N, C, W)}, finite
     * @param batch how many samples, at least 1
     * @param width their width, at least 1
     * @return the calibration
     * @throws IllegalArgumentException when an argument is null, not positive, or a sample is not finite
     */
    public static NetCalibration of(float[] samples, int batch, int width) {
        return of(samples, batch, width, Calibration.minMax());
    }

    /**
     * Calibration on samples with the given method.
     *
     * @param samples {@code batch} inputs of width {@code width} in the model's layout {@code (N, C, W)}, finite
     * @param batch how many samples, at least 1
     * @param width their width, at least 1
     * @param calibration how a tensor's range is chosen from its values
     * @return the calibration
     * @throws IllegalArgumentException when an argument is null, not positive, or a sample is not finite
     */
    public static NetCalibration of(float[] samples, int batch, int width, Calibration calibration) {
        if (samples == null || calibration == null) {
            throw new IllegalArgumentException((samples == null ? "samples" : "calibration") + ": must not be null");
        }
        if (batch < 1 || width < 1) {
            throw new IllegalArgumentException("shape: batch and width must be >= 1, got " + batch + " and " + width);
        }
        if (samples.length == 0 || samples.length % ((long) batch * width) != 0) {
            throw new IllegalArgumentException("samples: " + samples.length + " floats are not batch " + batch
                    + " x channels x width " + width);
        }
        for (int i = 0; i < samples.length; i++) {
            if (!Float.isFinite(samples[i])) {
                throw new IllegalArgumentException("samples: value " + i + " is " + samples[i]
                        + "; calibration needs finite values");
            }
        }
        return new NetCalibration(samples.clone(), batch, width, calibration, null, Double.NaN);
    }

    /**
     * Every tensor's quantization given: the network's input and the input of every conv at least.
     *
     * @param quantization by tensor name
     * @return the calibration
     * @throws IllegalArgumentException when the map is null or holds a null
     */
    public static NetCalibration explicit(Map<String, Quantization> quantization) {
        if (quantization == null) {
            throw new IllegalArgumentException("quantization: must not be null");
        }
        return new NetCalibration(null, 0, 0, null, Map.copyOf(quantization), Double.NaN);
    }

    /**
     * This calibration, choosing per conv: on the calibration pass each conv also runs in int8 on its own
     * calibration input, and stays float32 unless int8 is faster there (median of 5 calls each) and within
     * {@code max |y8 - y| / max |y| <= tolerance} of its float32 output. oneDNN's int8 depthwise kernels, for one,
     * ran slower than float32 on avx512_core_bf16 (S4: 2.8x); such layers keep float32, the rest run int8.
     *
     * @param tolerance the largest relative error one conv may add, in (0, 1); e.g. 0.05
     * @return the calibration with the per-conv choice
     * @throws IllegalArgumentException when the tolerance is out of range or the quantization was given explicitly
     */
    public NetCalibration withLayerChoice(double tolerance) {
        if (!(tolerance > 0 && tolerance < 1)) {
            throw new IllegalArgumentException("tolerance: must be in (0, 1), got " + tolerance);
        }
        if (explicit != null) {
            throw new IllegalArgumentException("tolerance: an explicit quantization is measured on no samples");
        }
        return new NetCalibration(samples, batch, width, calibration, null, tolerance);
    }

    /**
     * Every tensor's quantization on {@code graph}.
     *
     * @param graph the network
     * @return by tensor name, and the convs that stay float32
     * @throws IllegalArgumentException when the samples do not fit the network's input channels or width, or a
     *     tensor of the network on them is not finite
     */
    Int8Setup setup(NetGraph graph) {
        if (explicit != null) {
            return new Int8Setup(explicit, Set.of());
        }
        long expected = (long) batch * graph.inputChannels() * width;
        if (samples.length != expected) {
            throw new IllegalArgumentException("samples: the network takes " + graph.inputChannels()
                    + " channels, so batch " + batch + " x width " + width + " is " + expected + " floats, got "
                    + samples.length);
        }
        graph.widths(batch, width); // throws naming the node when the width does not fit
        return Calibrator.calibrate(graph, samples, batch, width, calibration, tolerance);
    }

    @Override
    public String toString() {
        return explicit != null ? "explicit (" + explicit.size() + " tensors)"
                : calibration + " on " + batch + " samples of width " + width
                        + (Double.isNaN(tolerance) ? "" : ", per-conv choice within " + tolerance);
    }
}
