package org.conv1d4j.internal.net;

import org.conv1d4j.internal.onednn.OneDnnKernel;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Quantization;

import java.util.HashMap;
import java.util.Map;

/**
 * Chooses the int8 quantization of every tensor of a network: runs the network node by node in float32
 * ({@link ReferenceNet}, its convs on oneDNN's float32 kernels, which the cross-check holds to the reference within
 * float32 rounding: far below a quantization step) on the calibration samples and applies the {@link Calibration}
 * to each tensor's values as it is computed (holding no more tensors than a forward run does).
 */
public final class Calibrator {
    private Calibrator() {
    }

    /**
     * @param graph the network
     * @param samples the calibration inputs, NCW, {@code batch * C * width} finite floats (checked by the caller)
     * @param batch how many samples
     * @param width their width, one the graph accepts
     * @param calibration how a range is chosen from a tensor's values
     * @return every tensor's quantization, by name (the input's included)
     */
    public static Map<String, Quantization> quantization(NetGraph graph, float[] samples, int batch, int width,
                                                         Calibration calibration) {
        Map<String, Quantization> q = new HashMap<>();
        Conv1dOptions f32 = Conv1dOptions.defaults();
        try (ReferenceNet ref = new ReferenceNet(graph, (spec, w, b) -> OneDnnKernel.create(spec, w, b, f32))) {
            ref.visit(samples, batch, width, (name, values) -> {
                try {
                    q.put(name, calibration.of(values));
                } catch (IllegalArgumentException e) { // an overflow inside the network
                    throw new IllegalArgumentException("samples: tensor " + name + " of the network on them: "
                            + e.getMessage(), e);
                }
            });
        }
        return q;
    }
}
