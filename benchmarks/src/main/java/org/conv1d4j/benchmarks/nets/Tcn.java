package org.conv1d4j.benchmarks.nets;

/**
 * A temporal convolutional network (Bai, Kolter and Koltun 2018): 8 residual blocks of C 256, K 3, dilations 1, 2,
 * ..., 128; each block two dilated causal convs with ReLU, then {@code ReLU(x + block(x))}. Both ways exporters
 * write a causal conv appear: the first conv of a block is {@code Pad(left (K-1) d) -> Conv} ({@code F.pad}), the
 * second is {@code Conv(pads (K-1) d both sides) -> Slice} (the reference implementation's "chomp").
 */
final class Tcn {
    static final int CHANNELS = 256;
    static final int BLOCKS = 8;
    static final int KERNEL = 3;

    private Tcn() {
    }

    /**
     * @param seed the weights' seed
     * @return the model's bytes
     */
    static byte[] generate(long seed) {
        OnnxGraph g = new OnnxGraph("tcn", CHANNELS, seed);
        String x = OnnxGraph.input();
        for (int b = 0; b < BLOCKS; b++) {
            int d = 1 << b;
            int causal = (KERNEL - 1) * d;
            String h = g.pad(x, causal, 0);
            h = g.relu(g.conv(h, CHANNELS, CHANNELS, KERNEL, 1, d, 1, 0, 0, true));
            h = g.conv(h, CHANNELS, CHANNELS, KERNEL, 1, d, 1, causal, causal, true);
            h = g.relu(g.slice(h, 0, -causal));
            x = g.relu(g.add(x, h));
        }
        return g.model(x, CHANNELS);
    }
}
