package org.conv1d4j.internal.onednn;

import org.conv1d4j.nativeconfig.NativeOwner;
import org.bytedeco.dnnl.global.dnnl;
import org.bytedeco.dnnl.post_ops;
import org.conv1d4j.spec.Conv1dSpec;

/** Maps the spec's activation onto one oneDNN eltwise post-op, so it runs fused in the convolution kernel. */
final class PostOps {
    private PostOps() {
    }

    /** @return the post-ops for the spec's activation, or {@code null} where there is none */
    static post_ops forSpec(Conv1dSpec spec, NativeOwner owner) {
        float a = (float) spec.alpha();
        dnnl.algorithm alg;
        float alpha = 0;
        float beta = 0;
        switch (spec.activation()) {
            case NONE -> {
                return null;
            }
            case RELU -> alg = dnnl.algorithm.eltwise_relu;
            case LEAKY_RELU -> {
                alg = dnnl.algorithm.eltwise_relu;
                alpha = a;
            }
            case ELU -> {
                alg = dnnl.algorithm.eltwise_elu;
                alpha = a;
            }
            case GELU_ERF -> alg = dnnl.algorithm.eltwise_gelu_erf;
            case GELU_TANH -> alg = dnnl.algorithm.eltwise_gelu_tanh;
            case TANH -> alg = dnnl.algorithm.eltwise_tanh;
            case SIGMOID -> alg = dnnl.algorithm.eltwise_logistic;
            case SWISH -> {
                alg = dnnl.algorithm.eltwise_swish;
                alpha = a;
            }
            case CLIP -> { // clamp to [alpha, beta] = [0, upper]
                alg = dnnl.algorithm.eltwise_clip;
                beta = a;
            }
            default -> throw new IllegalStateException("unmapped activation " + spec.activation());
        }
        post_ops ops = owner.own(new post_ops());
        ops.append_eltwise(alg, alpha, beta);
        return ops;
    }
}
