package org.conv1d4j.benchmarks.peers;

import org.conv1d4j.benchmarks.nets.NetContender;
import org.conv1d4j.benchmarks.nets.NetPeer;
import org.conv1d4j.spec.Layout;

import java.util.List;

/**
 * ONNX Runtime as a {@link NetPeer}: {@code ort} (tensors per call), {@code ort-pinned} (bound once) and
 * {@code ort-int8} (tensors per call, as {@code ort}, on the int8 QDQ copy of the model that the caller passes:
 * {@link org.conv1d4j.benchmarks.nets.Contenders} writes it with {@link org.conv1d4j.benchmarks.nets.QdqModel}).
 */
public final class OrtNetPeer implements NetPeer {
    /** Found by {@link java.util.ServiceLoader}. */
    public OrtNetPeer() {
        // no state
    }

    @Override
    public List<String> variants() {
        return List.of("ort", "ort-pinned", "ort-int8");
    }

    @Override
    public NetContender create(String variant, byte[] onnx, Layout layout, int channels, float[] input, int batch,
            int width) throws Exception {
        if (!variants().contains(variant)) {
            throw new IllegalArgumentException("variant: ONNX Runtime offers " + variants() + ", not '" + variant + "'");
        }
        return new OrtNet(onnx, layout, channels, input, batch, width, variant.equals("ort-pinned"));
    }
}
