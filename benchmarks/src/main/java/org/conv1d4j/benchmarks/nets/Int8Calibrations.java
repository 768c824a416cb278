package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetCalibration;
import org.conv1d4j.NetOptions;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.Quantization;

import java.util.HashMap;
import java.util.Map;

/**
 * conv1d4j's int8 calibration of a benchmarked model, made once per model and width and shared by every int8
 * contender of it: {@code net-int8} in both layouts gets it as {@link NetCalibration#explicit(Map)}, and
 * {@code ort-int8} gets the {@link QdqModel} written with it, so that both quantize every tensor the same way.
 * The calibration is conv1d4j's: the float reference run on {@link NetModel#calibration(int, int)}
 * ({@value #SAMPLES} samples at the timed width), min/max of every tensor.
 */
public final class Int8Calibrations {
    /** How many samples an int8 network is calibrated on. */
    public static final int SAMPLES = 4;

    private static final Map<String, Map<String, Quantization>> CACHE = new HashMap<>();

    private Int8Calibrations() {
    }

    /**
     * @param model the network
     * @param onnx its bytes
     * @param width the width of the samples
     * @return every tensor's quantization, as {@link Conv1dNet#quantization()} of the calibrated network gives it
     */
    public static synchronized Map<String, Quantization> of(NetModel model, byte[] onnx, int width) {
        return CACHE.computeIfAbsent(model.name() + "@" + width, k -> {
            NetCalibration c = NetCalibration.of(model.calibration(SAMPLES, width), SAMPLES, width);
            try (Conv1dNet net = Conv1dNet.load(onnx, new NetOptions(Engine.REFERENCE, Layout.NCW).withInt8(c))) {
                return net.quantization();
            }
        });
    }

    /**
     * @param model the network
     * @param onnx its bytes
     * @param width the width of the samples
     * @return the QDQ copy of the model with that calibration and the weight levels conv1d4j uses on this CPU
     */
    public static QdqModel qdq(NetModel model, byte[] onnx, int width) {
        int levels = Precision.INT8.isNativeOn(DnnlRuntime.get().effectiveIsa()) ? 127 : 63;
        return QdqModel.of(onnx, of(model, onnx, width), levels);
    }
}
