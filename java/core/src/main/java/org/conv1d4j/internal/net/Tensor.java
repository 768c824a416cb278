package org.conv1d4j.internal.net;

/**
 * An {@code (N, C, W)} float tensor in NCW order, as the reference engine passes it from node to node.
 *
 * @param data {@code N*C*W} floats
 * @param batch {@code N}
 * @param channels {@code C}
 * @param width {@code W}
 */
@SuppressWarnings("ArrayRecordComponent") // a node's output buffer, passed along, never compared
record Tensor(float[] data, int batch, int channels, int width) {
    int at(int n, int c, int t) {
        return (n * channels + c) * width + t;
    }

    static Tensor zeros(int batch, int channels, int width) {
        return new Tensor(new float[batch * channels * width], batch, channels, width);
    }
}
