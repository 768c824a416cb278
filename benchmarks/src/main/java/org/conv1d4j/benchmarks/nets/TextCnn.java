package org.conv1d4j.benchmarks.nets;

import java.util.ArrayList;
import java.util.List;

/**
 * A text-CNN trunk (Kim 2014) on 300-dimensional word vectors: parallel convs of 100 filters with K 3, 4 and 5
 * ("valid"), each with ReLU and a max over time ({@code GlobalMaxPool}), concatenated to {@code (N, 300, 1)}. The
 * embedding lookup before it and the dense classifier after it are not convolutions and are left out.
 */
final class TextCnn {
    static final int EMBEDDING = 300;
    private static final int FILTERS = 100;
    private static final int[] KERNELS = {3, 4, 5};

    private TextCnn() {
    }

    /**
     * @param seed the weights' seed
     * @return the model's bytes
     */
    static byte[] generate(long seed) {
        OnnxGraph g = new OnnxGraph("textcnn", EMBEDDING, seed);
        List<String> pooled = new ArrayList<>();
        for (int k : KERNELS) {
            pooled.add(g.globalMaxPool(g.relu(g.conv(OnnxGraph.input(), EMBEDDING, FILTERS, k, 1, 1, 1, 0, 0, true))));
        }
        return g.model(g.concat(pooled), FILTERS * KERNELS.length);
    }
}
