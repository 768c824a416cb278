package org.conv1d4j.internal.net;

import org.conv1d4j.internal.lowering.WeightIndex;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.spec.Conv1dSpec;

/**
 * A conv followed by inference BatchNorm as one conv: with {@code a = scale / sqrt(var + eps)}, output channel
 * {@code o} of {@code a * (conv(x) + b - mean) + shift} is the conv with weights {@code a[o] * w} and bias
 * {@code a[o] * (b[o] - mean[o]) + shift[o]}. Computed in double and rounded once, so each folded weight is within
 * half an ulp of its exact value; the network's error bound counts that rounding.
 *
 * @param weights the folded weights, in the conv's weight layout
 * @param bias the folded bias
 */
// the arrays are the folded layer's parameters, never compared by content
@SuppressWarnings("ArrayRecordComponent")
record BatchNormFold(float[] weights, float[] bias) {

    static BatchNormFold of(Conv1dSpec spec, float[] weights, float[] bias, BatchNormNode bn) {
        int cout = spec.outChannels();
        float[] scale = bn.scale();
        float[] shift = bn.bias();
        float[] mean = bn.mean();
        float[] var = bn.variance();
        double[] a = new double[cout];
        float[] b = new float[cout];
        for (int o = 0; o < cout; o++) {
            a[o] = scale[o] / Math.sqrt(var[o] + bn.epsilon());
            double b0 = bias == null ? 0 : bias[o];
            b[o] = (float) (a[o] * (b0 - mean[o]) + shift[o]);
        }
        float[] w = new float[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (a[WeightIndex.outChannel(spec, i)] * weights[i]);
        }
        return new BatchNormFold(w, b);
    }
}
