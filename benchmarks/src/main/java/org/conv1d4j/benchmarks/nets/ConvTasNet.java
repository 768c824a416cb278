package org.conv1d4j.benchmarks.nets;

/**
 * Conv-TasNet's separator (Luo and Mesgarani 2019; N 512, B 128, H 512, P 3, X 8, R 3, Sc 128, two speakers) on the
 * encoder's output {@code (N, 512, W)}: a normalisation and a bottleneck 1x1 conv to B, then 3 repeats of 8 blocks,
 * each {@code 1x1 conv B->H, PReLU, norm, depthwise conv K P with dilation 2^x ("same"), PReLU, norm}, then a 1x1
 * conv back to B added to the block's input (residual) and a 1x1 conv to Sc summed over all blocks (skip); the skip
 * sum goes through PReLU and a 1x1 conv to 2 x 512 mask channels with a sigmoid. The real model normalises with
 * global layer norm (gLN, statistics over channels and time per example), which is not supported: every norm here is
 * a BatchNorm with running statistics instead, and the residual and skip convs start at a reduced scale (see
 * {@link #generate(long)}). The last block's residual conv, whose result the real model never
 * reads, is left out, as the exporter drops it.
 */
final class ConvTasNet {
    static final int ENCODER = 512;
    private static final int B = 128;
    private static final int H = 512;
    private static final int P = 3;
    private static final int X = 8;
    private static final int R = 3;
    private static final int SPEAKERS = 2;

    private ConvTasNet() {
    }

    /**
     * @param seed the weights' seed
     * @return the model's bytes
     */
    static byte[] generate(long seed) {
        OnnxGraph g = new OnnxGraph("convtasnet_separator", ENCODER, seed);
        // Random BatchNorms do not normalise as gLN does: the residual and skip convs start small (1/sqrt(2 X R) of He's
        // scale, as Fixup does) so that the 24 residual blocks keep the activations near 1 instead of growing them
        // 3x per block, which would leave float32 no digits to compare the contenders by.
        double branch = 1 / Math.sqrt(2.0 * X * R);
        String x = g.conv(g.batchNorm(OnnxGraph.input(), ENCODER), ENCODER, B, 1, 1, 1, 1, 0, 0, true);
        String skips = null;
        for (int r = 0; r < R; r++) {
            for (int b = 0; b < X; b++) {
                int d = 1 << b;
                String h = g.batchNorm(g.prelu(g.conv(x, B, H, 1, 1, 1, 1, 0, 0, true)), H);
                h = g.batchNorm(g.prelu(g.conv(h, H, H, P, 1, d, H, d * (P - 1) / 2, d * (P - 1) / 2, true)), H);
                String skip = g.conv(h, H, B, 1, 1, 1, 1, 0, 0, true, branch);
                skips = skips == null ? skip : g.add(skips, skip);
                if (r < R - 1 || b < X - 1) {
                    x = g.add(x, g.conv(h, H, B, 1, 1, 1, 1, 0, 0, true, branch));
                }
            }
        }
        String mask = g.conv(g.prelu(skips), B, SPEAKERS * ENCODER, 1, 1, 1, 1, 0, 0, true);
        return g.model(g.sigmoid(mask), SPEAKERS * ENCODER);
    }
}
