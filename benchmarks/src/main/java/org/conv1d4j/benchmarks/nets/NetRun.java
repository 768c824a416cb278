package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;

/** conv1d4j's network: the model's bytes loaded with {@link Conv1dNet#load(byte[], NetOptions)}, heap arrays in and out. */
public final class NetRun implements NetContender {
    private final Conv1dNet net;
    private final float[] input;
    private final float[] output;
    private final int batch;
    private final int width;

    /**
     * @param onnx the model's bytes
     * @param options engine and layout
     * @param input {@code N * C * W} floats in the options' layout
     * @param batch {@code N}
     * @param width {@code W}
     */
    public NetRun(byte[] onnx, NetOptions options, float[] input, int batch, int width) {
        this.net = Conv1dNet.load(onnx, options);
        this.input = input;
        this.batch = batch;
        this.width = width;
        int[] s = net.outputShape(batch, width);
        this.output = new float[s[0] * s[1] * s[2]];
    }

    @Override
    public void run() {
        net.forward(input, output, batch, width);
    }

    @Override
    public float[] output() {
        return output;
    }

    @Override
    public void close() {
        net.close();
    }
}
