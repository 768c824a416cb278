package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.NetCalibration;
import org.conv1d4j.NetOptions;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

/**
 * Makes a contender by name: {@code net}, {@code net-bf16}, {@code net-int8} (calibrated by {@link Int8Calibrations}),
 * {@code net-int8-choice} (int8 where calibration measured it faster, {@link NetCalibration#withLayerChoice}),
 * {@code reference}, {@code chained}, or a {@link NetPeer}'s variant such as {@code ort}; {@code ort-int8} is given
 * the {@link QdqModel} copy of the model made with the same calibration.
 */
public final class Contenders {
    /**
     * {@code net-int8-choice}: the relative error one conv may add; its calibration runs on the timed batch, so that
     * the per-conv timing is of the shape that is timed.
     */
    static final double LAYER_TOLERANCE = 0.05;

    private Contenders() {
    }

    /**
     * @param impl {@code net} (conv1d4j's network on {@code engine}; {@code net-bf16}, {@code net-int8} in those
     *     precisions), {@code reference} (the network on the
     *     reference engine), {@code chained} ({@link ChainedOps} on {@code engine}) or a peer's variant (a variant
     *     ending in {@code -int8} gets the model's {@link QdqModel} copy instead of the model)
     * @param onnx the model's bytes
     * @param model the network
     * @param engine conv1d4j's engine
     * @param layout the layout of input and output
     * @param input the input in that layout
     * @param batch {@code N}
     * @param width {@code W}
     * @return the contender
     * @throws Exception when it cannot be set up (an engine that does not run networks yet, a peer not installed)
     */
    public static NetContender create(String impl, NetModel model, byte[] onnx, Engine engine, Layout layout, float[] input,
            int batch, int width) throws Exception {
        return switch (impl) {
            case "net" -> new NetRun(onnx, new NetOptions(engine, layout), input, batch, width);
            case "net-bf16" -> new NetRun(onnx, new NetOptions(engine, layout, 0, Precision.BF16), input, batch, width);
            case "net-int8" -> new NetRun(onnx, new NetOptions(engine, layout).withInt8(NetCalibration.explicit(
                    Int8Calibrations.of(model, onnx, width))), input, batch, width);
            case "net-int8-choice" -> new NetRun(onnx, new NetOptions(engine, layout).withInt8(NetCalibration.of(
                    model.calibration(batch, width), batch, width).withLayerChoice(LAYER_TOLERANCE)), input, batch,
                    width);
            case "reference" -> new NetRun(onnx, new NetOptions(Engine.REFERENCE, layout), input, batch, width);
            case "chained" -> new ChainedOps(onnx, engine, layout, input, batch, width);
            default -> {
                NetPeer peer = NetPeer.offering(impl);
                if (peer == null) {
                    throw new IllegalStateException("impl: no peer offers '" + impl + "' (ONNX Runtime is built only "
                            + "with -Ppeers)");
                }
                byte[] bytes = onnx;
                if (impl.endsWith("-int8")) {
                    QdqModel qdq = Int8Calibrations.qdq(model, onnx, width);
                    System.out.println("  " + impl + " runs the QDQ copy: " + qdq.summary());
                    bytes = qdq.bytes();
                }
                yield peer.create(impl, bytes, layout, model.channels(), input, batch, width);
            }
        };
    }

    /**
     * @param impl a contender's name
     * @return how far its output may be from float32, relative to the output's magnitude, before it counts as wrong:
     *     {@link NetRounds#GROSS_ERROR} for float32 contenders; bf16 (8 bits) and int8 (about 7 after calibration)
     *     keep the signal to about 40 dB, so their guard is wider
     */
    public static double grossError(String impl) {
        return impl.contains("-int8") ? 0.15 : impl.endsWith("-bf16") ? 0.05 : NetRounds.GROSS_ERROR;
    }

    /**
     * The largest difference between two outputs relative to the largest magnitude of the second.
     *
     * @param a one output
     * @param b the one compared against
     * @return {@code max |a - b| / max |b|}, or infinity when the lengths differ or a value is not finite
     */
    public static double relativeDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i])) {
                return Double.POSITIVE_INFINITY;
            }
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
