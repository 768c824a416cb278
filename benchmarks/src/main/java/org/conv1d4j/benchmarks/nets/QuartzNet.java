package org.conv1d4j.benchmarks.nets;

/**
 * The QuartzNet 5x5 encoder (Kriman et al. 2020, NeMo's config) on 64 mel features: the separable prologue C1 (K 33,
 * stride 2, 256 channels), blocks B1-B5 (256, 256, 512, 512, 512 channels; K 33, 39, 51, 63, 75), each five
 * sub-blocks of depthwise conv, pointwise conv, BatchNorm and ReLU, the last one adding the block's residual
 * (pointwise conv and BatchNorm of the block's input) before its ReLU; then the epilogue C2 (separable K 87,
 * dilation 2, 512) and C3 (pointwise, 1024). The decoder (C4, a pointwise conv to the vocabulary) is left out. Convs
 * have no bias, as in NeMo (BatchNorm follows each).
 */
final class QuartzNet {
    static final int FEATURES = 64;
    private static final int REPEATS = 5;
    private static final int[] CHANNELS = {256, 256, 512, 512, 512};
    private static final int[] KERNELS = {33, 39, 51, 63, 75};

    private QuartzNet() {
    }

    /**
     * @param seed the weights' seed
     * @return the model's bytes
     */
    static byte[] generate(long seed) {
        OnnxGraph g = new OnnxGraph("quartznet5x5", FEATURES, seed);
        String x = g.relu(separable(g, OnnxGraph.input(), FEATURES, 256, 33, 2, 1));
        int c = 256;
        for (int b = 0; b < CHANNELS.length; b++) {
            int out = CHANNELS[b];
            String residual = g.batchNorm(g.conv(x, c, out, 1, 1, 1, 1, 0, 0, false), out);
            String h = x;
            int hc = c;
            for (int r = 0; r < REPEATS; r++) {
                h = separable(g, h, hc, out, KERNELS[b], 1, 1);
                hc = out;
                h = g.relu(r == REPEATS - 1 ? g.add(h, residual) : h);
            }
            x = h;
            c = out;
        }
        x = g.relu(separable(g, x, c, 512, 87, 1, 2));
        x = g.relu(g.batchNorm(g.conv(x, 512, 1024, 1, 1, 1, 1, 0, 0, false), 1024));
        return g.model(x, 1024);
    }

    /**
     * Depthwise conv ("same" padding), pointwise conv, BatchNorm. No nonlinearity separates the two convs, so the
     * depthwise one keeps the variance (He's scale over sqrt 2) rather than doubling it: 25 sub-blocks would otherwise
     * grow the activations 2^12-fold, where a trained network's BatchNorms keep them near 1.
     */
    private static String separable(OnnxGraph g, String x, int cin, int cout, int k, int stride, int dilation) {
        int pad = dilation * (k - 1) / 2;
        String h = g.conv(x, cin, cin, k, stride, dilation, cin, pad, pad, false, Math.sqrt(0.5));
        return g.batchNorm(g.conv(h, cin, cout, 1, 1, 1, 1, 0, 0, false), cout);
    }
}
