package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.spec.Layout;

import java.util.List;
import java.util.ServiceLoader;

/**
 * A peer runtime that runs the same ONNX bytes, found with {@link ServiceLoader}: ONNX Runtime's implementation is
 * compiled only with {@code -Ppeers}, so that the default build holds no peer.
 */
public interface NetPeer {
    /** @return the contenders this peer offers, e.g. {@code ort} and {@code ort-pinned} */
    List<String> variants();

    /**
     * @param variant one of {@link #variants()}
     * @param onnx the model's bytes (input {@code (N, C, W)})
     * @param layout the layout of the input and the output arrays ({@link Layout#NWC}: the peer transposes as an
     *     NWC user of it must)
     * @param channels {@code C}
     * @param input {@code N * C * W} floats in that layout
     * @param batch {@code N}
     * @param width {@code W}
     * @return the contender, set up
     * @throws Exception when the peer cannot load the model
     */
    NetContender create(String variant, byte[] onnx, Layout layout, int channels, float[] input, int batch, int width)
            throws Exception;

    /** @return every peer on the class path */
    static List<NetPeer> installed() {
        return ServiceLoader.load(NetPeer.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /**
     * @param variant a contender's name
     * @return the peer offering it, or null when none is installed
     */
    static NetPeer offering(String variant) {
        return installed().stream().filter(p -> p.variants().contains(variant)).findFirst().orElse(null);
    }
}
