package org.conv1d4j.benchmarks.peers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv1d;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;

/**
 * PyTorch 2.7.1 through DJL 0.36.0, offline (natives from the classifier jar), 2 intra-op threads and 1 inter-op
 * thread set before the engine loads ({@link PeerBenchmark}). {@code Conv1d.conv1d} on tensors created once;
 * channels-first (NCW), symmetric padding only.
 */
@SuppressWarnings("try") // close() is PeerConv's, which may throw InterruptedException
final class DjlConv implements PeerConv {
    private final NDManager manager = NDManager.newBaseManager("PyTorch");
    private final NDArray x;
    private final NDArray w;
    private final NDArray b;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation;
    private final int groups;
    private float[] out;

    DjlConv(Conv1dSpec spec, int batch, int width, float[] weights, float[] bias, float[] input) {
        Geometry g = spec.geometry(width);
        if (spec.layout() != Layout.NCW || g.padLeft() != g.padRight()) {
            throw new IllegalArgumentException("DJL's conv1d takes NCW and symmetric padding");
        }
        x = manager.create(input, new Shape(batch, spec.inChannels(), width));
        w = manager.create(weights, new Shape(spec.outChannels(), spec.inChannels() / spec.groups(), spec.kernelSize()));
        b = manager.create(bias, new Shape(spec.outChannels()));
        stride = new Shape(spec.stride());
        padding = new Shape(g.padLeft());
        dilation = new Shape(spec.dilation());
        groups = spec.groups();
    }

    @Override
    public void run() {
        try (NDList y = Conv1d.conv1d(x, w, b, stride, padding, dilation, groups)) {
            out = y.singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public float[] output() {
        return out.clone();
    }

    @Override
    public void close() {
        manager.close();
    }
}
