package org.conv1d4j.internal.net;

import org.conv1d4j.net.Pointwise;

/** Element-wise work fused into a conv: it runs on the conv's output before it is written. */
public sealed interface PostOp permits PostOp.Eltwise, PostOp.Prelu, PostOp.Residual {

    /**
     * An activation.
     *
     * @param function the activation
     * @param alpha its first parameter
     * @param beta its second parameter
     */
    record Eltwise(Pointwise function, double alpha, double beta) implements PostOp {
    }

    /**
     * {@code x >= 0 ? x : slope * x}.
     *
     * @param slope one value for every channel, or one per channel
     */
    // the slopes are the layer's parameters, held as given; never compared by content
    @SuppressWarnings("ArrayRecordComponent")
    record Prelu(float[] slope) implements PostOp {
    }

    /**
     * The sum with another tensor of the same shape (a residual {@code Add}).
     *
     * @param other the tensor added, computed before the conv runs
     */
    record Residual(String other) implements PostOp {
    }
}
