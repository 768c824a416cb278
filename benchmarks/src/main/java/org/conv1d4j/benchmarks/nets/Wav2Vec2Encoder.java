package org.conv1d4j.benchmarks.nets;

/**
 * The wav2vec 2.0 feature encoder (Baevski et al. 2020, {@code extractor_mode = "default"}) on raw audio: 7 convs
 * of 512 channels, kernels 10, 3, 3, 3, 3, 2, 2, strides 5, 2, 2, 2, 2, 2, 2, no bias, no padding, each followed by
 * GELU, written as the exporter does before opset 20 ({@code Div, Erf, Add, Mul, Mul}). The real model normalises
 * the first conv's output with a GroupNorm of 512 groups (per channel, over time, per example); here that is a
 * BatchNorm with running statistics, which an ONNX importer can fold into the conv: the GroupNorm's statistics depend
 * on the input and cannot be folded, so this model is a lower bound on the real one's cost.
 */
final class Wav2Vec2Encoder {
    private static final int CHANNELS = 512;
    private static final int[] KERNELS = {10, 3, 3, 3, 3, 2, 2};
    private static final int[] STRIDES = {5, 2, 2, 2, 2, 2, 2};

    private Wav2Vec2Encoder() {
    }

    /**
     * @param seed the weights' seed
     * @return the model's bytes
     */
    static byte[] generate(long seed) {
        OnnxGraph g = new OnnxGraph("wav2vec2_feature_encoder", 1, seed);
        String x = OnnxGraph.input();
        int c = 1;
        for (int i = 0; i < KERNELS.length; i++) {
            x = g.conv(x, c, CHANNELS, KERNELS[i], STRIDES[i], 1, 1, 0, 0, false);
            if (i == 0) {
                x = g.batchNorm(x, CHANNELS);
            }
            x = g.gelu(x);
            c = CHANNELS;
        }
        return g.model(x, CHANNELS);
    }
}
