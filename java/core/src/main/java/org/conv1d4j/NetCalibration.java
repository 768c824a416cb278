package org.conv1d4j;

import org.conv1d4j.net.NetGraph;
import org.conv1d4j.internal.net.Calibrator;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Quantization;

import java.util.Map;

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

    private NetCalibration(float[] samples, int batch, int width, Calibration calibration,
                           Map<String, Quantization> explicit) {
        this.samples = samples;
        this.batch = batch;
        this.width = width;
        this.calibration = calibration;
        this.explicit = explicit;
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
        return new NetCalibration(samples.clone(), batch, width, calibration, null);
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
        return new NetCalibration(null, 0, 0, null, Map.copyOf(quantization));
    }

    /**
     * Every tensor's quantization on {@code graph}.
     *
     * @param graph the network
     * @return by tensor name
     * @throws IllegalArgumentException when the samples do not fit the network's input channels or width, or a
     *     tensor of the network on them is not finite
     */
    Map<String, Quantization> quantization(NetGraph graph) {
        if (explicit != null) {
            return explicit;
        }
        long expected = (long) batch * graph.inputChannels() * width;
        if (samples.length != expected) {
            throw new IllegalArgumentException("samples: the network takes " + graph.inputChannels()
                    + " channels, so batch " + batch + " x width " + width + " is " + expected + " floats, got "
                    + samples.length);
        }
        graph.widths(batch, width); // throws naming the node when the width does not fit
        return Calibrator.quantization(graph, samples, batch, width, calibration);
    }

    @Override
    public String toString() {
        return explicit != null ? "explicit (" + explicit.size() + " tensors)"
                : calibration + " on " + batch + " samples of width " + width;
    }
}
