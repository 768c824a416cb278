package org.conv1d4j.cli;

import org.conv1d4j.NetCalibration;
import org.conv1d4j.NetOptions;
import org.conv1d4j.io.Npy;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code --precision f32|bf16|int8} with, for int8, {@code --calibration FILE.npy} (samples) and
 * {@code --calibration-method}: what a oneDNN engine computes in, and for int8 how its input (an op's) or every tensor
 * (a model's) is quantized. Checked together: int8 needs the samples, and only int8 takes them.
 */
final class PrecisionOptions {
    @Option(names = "--precision", defaultValue = "f32", paramLabel = "P",
            description = "What a oneDNN engine computes in: f32 (default), bf16 or int8 (needs --calibration); the "
                    + "files stay float32.")
    String precision = "f32";

    @Option(names = "--calibration", paramLabel = "FILE",
            description = "With int8: samples (.npy) the quantization is calibrated on; for an op, values of its input "
                    + "(any shape), for --model, (N, C, W) inputs in the model's layout.")
    Path calibration;

    @Option(names = "--calibration-method", paramLabel = "M",
            description = "With int8: minmax (default: the samples' whole range) or percentile:P, e.g. "
                    + "percentile:99.99 (the range between the (100-P)th and Pth percentiles; rarer values saturate).")
    String method;

    @Option(names = "--layer-choice", paramLabel = "TOLERANCE",
            description = "With int8 and --model: keep float32 for every conv where int8, timed on the calibration "
                    + "samples, is not faster or adds more than TOLERANCE relative error (e.g. 0.05).")
    Double layerChoice;

    /** The samples as read, once. */
    private Npy.Array samples;

    /**
     * @return the precision, checked against the calibration options
     * @throws IllegalArgumentException (exit 2) for an unknown name, int8 without samples, or samples without int8
     */
    Precision precision() {
        Precision p = switch (precision.toLowerCase(Locale.ROOT)) {
            case "f32" -> Precision.F32;
            case "bf16" -> Precision.BF16;
            case "int8" -> Precision.INT8;
            default -> throw new IllegalArgumentException("precision: unknown '" + precision
                    + "' (expected f32, bf16 or int8)");
        };
        if (p == Precision.INT8 && calibration == null) {
            throw new IllegalArgumentException("calibration: --precision int8 needs --calibration FILE.npy, samples "
                    + "of the input to choose the quantization from");
        }
        if (p != Precision.INT8 && (calibration != null || method != null || layerChoice != null)) {
            throw new IllegalArgumentException("calibration: " + (calibration != null ? "--calibration"
                    : method != null ? "--calibration-method" : "--layer-choice") + " goes with --precision int8, not "
                    + precision);
        }
        return p;
    }

    /**
     * @return {@code base} computing in this precision; int8 quantizes the input as the samples' calibration says
     * @throws IOException when the samples cannot be read
     */
    Conv1dOptions apply(Conv1dOptions base) throws IOException {
        Precision p = precision();
        if (layerChoice != null) {
            throw new IllegalArgumentException("layer-choice: chooses per conv of a network; with one op, compare "
                    + "the precisions with bench --precision all");
        }
        return p == Precision.INT8 ? base.withInt8(inputQuantization()) : base.withPrecision(p);
    }

    /**
     * @return {@code base} computing in this precision; int8 calibrates every tensor on the {@code (N, C, W)} samples
     * @throws IOException when the samples cannot be read
     * @throws IllegalArgumentException (exit 2) when the samples are not 3-D or not finite
     */
    NetOptions apply(NetOptions base) throws IOException {
        Precision p = precision();
        if (p != Precision.INT8) {
            return base.withPrecision(p);
        }
        Npy.Array s = samples();
        int[] shape = s.shape();
        if (shape.length != 3) {
            throw new IllegalArgumentException("calibration: " + fileName() + " has shape " + s.shapeString()
                    + "; a model is calibrated on 3-D (N, C, W) samples in the model's layout");
        }
        NetCalibration c = NetCalibration.of(s.data(), shape[0], shape[2], method());
        return base.withInt8(layerChoice == null ? c : c.withLayerChoice(layerChoice));
    }

    /** @return an op's input quantization, chosen by the method from the samples */
    Quantization inputQuantization() throws IOException {
        return method().of(samples().data());
    }

    /** @return how the samples were turned into a quantization, for explain: method, count and file */
    String source() throws IOException {
        return method() + " of " + samples().data().length + " samples in " + fileName();
    }

    /** @return the calibration method */
    Calibration method() {
        if (method == null || method.equalsIgnoreCase("minmax")) {
            return Calibration.minMax();
        }
        String m = method.toLowerCase(Locale.ROOT);
        String bad = "calibration-method: unknown '" + method + "' (expected minmax or percentile:P with P in (50, "
                + "100], e.g. percentile:99.99)";
        if (!m.startsWith("percentile:")) {
            throw new IllegalArgumentException(bad);
        }
        try {
            return Calibration.percentile(Double.parseDouble(m.substring("percentile:".length())));
        } catch (IllegalArgumentException e) { // NumberFormatException included
            throw new IllegalArgumentException(bad, e);
        }
    }

    private Npy.Array samples() throws IOException {
        if (samples == null) {
            Npy.Array s = Npy.read(calibration);
            float[] data = s.data();
            if (data.length == 0) {
                throw new IllegalArgumentException("calibration: " + fileName() + " holds no samples");
            }
            int bad = 0;
            int first = -1;
            for (int i = 0; i < data.length; i++) {
                if (!Float.isFinite(data[i])) {
                    bad++;
                    first = first < 0 ? i : first;
                }
            }
            if (bad > 0) {
                throw new IllegalArgumentException("calibration: " + fileName() + " holds " + bad + " non-finite "
                        + "values (the first, at flat index " + first + ", is " + data[first] + "); calibration "
                        + "needs finite samples");
            }
            samples = s;
        }
        return samples;
    }

    /** @return the calibration file's name, as messages and explain print it */
    String fileName() {
        Path f = calibration.getFileName();
        return f == null ? calibration.toString() : f.toString();
    }
}
