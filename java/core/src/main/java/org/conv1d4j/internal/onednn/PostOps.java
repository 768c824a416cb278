package org.conv1d4j.internal.onednn;

import org.conv1d4j.nativeconfig.NativeOwner;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.post_ops;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;

/**
 * Maps activations onto oneDNN's eltwise algorithms (alpha and beta in oneDNN's meaning), so that they run fused in
 * the convolution kernel as post-ops, or as an eltwise primitive of their own.
 */
final class PostOps {
    private PostOps() {
    }

    /**
     * One eltwise operation in oneDNN's terms.
     *
     * @param alg the algorithm
     * @param alpha its alpha
     * @param beta its beta
     */
    record Eltwise(dnnl.algorithm alg, float alpha, float beta) {
    }

    /** @return the post-ops for the spec's activation, or {@code null} where there is none */
    static post_ops forSpec(Conv1dSpec spec, NativeOwner owner) {
        if (spec.activation() == Activation.NONE) {
            return null;
        }
        post_ops ops = owner.own(new post_ops());
        Eltwise e = of(spec.activation(), spec.alpha());
        ops.append_eltwise(e.alg(), e.alpha(), e.beta());
        return ops;
    }

    /**
     * @param act an op's activation, not {@link Activation#NONE}
     * @param alpha its parameter
     * @return the eltwise operation that computes it
     */
    static Eltwise of(Activation act, double alpha) {
        float a = (float) alpha;
        return switch (act) {
            case RELU -> new Eltwise(dnnl.algorithm.eltwise_relu, 0, 0);
            case LEAKY_RELU -> new Eltwise(dnnl.algorithm.eltwise_relu, a, 0);
            case ELU -> new Eltwise(dnnl.algorithm.eltwise_elu, a, 0);
            case GELU_ERF -> new Eltwise(dnnl.algorithm.eltwise_gelu_erf, 0, 0);
            case GELU_TANH -> new Eltwise(dnnl.algorithm.eltwise_gelu_tanh, 0, 0);
            case TANH -> new Eltwise(dnnl.algorithm.eltwise_tanh, 0, 0);
            case SIGMOID -> new Eltwise(dnnl.algorithm.eltwise_logistic, 0, 0);
            case SWISH -> new Eltwise(dnnl.algorithm.eltwise_swish, a, 0);
            case CLIP -> new Eltwise(dnnl.algorithm.eltwise_clip, 0, a); // clamp to [alpha, beta] = [0, upper]
            default -> throw new IllegalStateException("unmapped activation " + act);
        };
    }

    /**
     * @param f a network's activation
     * @param alpha its first parameter (see {@link Pointwise})
     * @param beta its second parameter
     * @return the eltwise operation that computes it
     */
    static Eltwise of(Pointwise f, double alpha, double beta) {
        float a = (float) alpha;
        float b = (float) beta;
        return switch (f) {
            case RELU -> new Eltwise(dnnl.algorithm.eltwise_relu, 0, 0);
            case LEAKY_RELU -> new Eltwise(dnnl.algorithm.eltwise_relu, a, 0);
            case ELU -> new Eltwise(dnnl.algorithm.eltwise_elu, a, 0);
            case TANH -> new Eltwise(dnnl.algorithm.eltwise_tanh, 0, 0);
            case SIGMOID -> new Eltwise(dnnl.algorithm.eltwise_logistic, 0, 0);
            case CLIP -> new Eltwise(dnnl.algorithm.eltwise_clip_v2, a, b);
            case HARD_SIGMOID -> new Eltwise(dnnl.algorithm.eltwise_hardsigmoid, a, b);
            case HARD_SWISH -> new Eltwise(dnnl.algorithm.eltwise_hardswish, 1f / 6, 0.5f);
            case GELU -> new Eltwise(dnnl.algorithm.eltwise_gelu_erf, 0, 0);
            case GELU_TANH -> new Eltwise(dnnl.algorithm.eltwise_gelu_tanh, 0, 0);
            case SILU -> new Eltwise(dnnl.algorithm.eltwise_swish, 1, 0);
        };
    }
}
