package org.conv1d4j.net;

import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;
import org.conv1d4j.spec.WeightLayout;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns any {@link Conv1dSpec} with its weights into the nodes an ONNX model of the same layer imports as, so that
 * every engine runs what {@link NetBuilder} builds: weights in PyTorch's (and ONNX's) layout {@code OIW} / {@code IOW},
 * layout {@link Layout#NCW}, {@code same} padding as {@link ConvNode.AutoPad#SAME_UPPER} for a strided forward conv
 * and as the fixed padding it always is otherwise, {@code causal} as fixed padding, a non-zero padding mode as a {@link PadNode} before the conv, and the
 * spec's activation as a {@link PointwiseNode} after it.
 */
final class ConvNodes {
    private ConvNodes() {
    }

    /** Names the helper nodes a conv may need. */
    interface Names {
        /**
         * @param suffix what the node is, e.g. {@code pad} or {@code relu}
         * @return a fresh name
         */
        String helper(String suffix);
    }

    static List<SingleInputNode> of(String name, String input, Conv1dSpec spec, float[] weights, float[] bias,
            Names names) {
        if (spec == null) {
            throw new IllegalArgumentException("spec: must not be null");
        }
        if (weights == null || weights.length != spec.weightCount()) {
            throw new IllegalArgumentException("weights: expected " + spec.weightCount() + " floats (" + spec.weightLayout()
                    + " " + java.util.Arrays.toString(spec.weightShape()) + "), got "
                    + (weights == null ? "null" : weights.length));
        }
        boolean transposed = spec.op() == Op.CONV_TRANSPOSE1D;
        int ke = spec.effectiveKernel();
        Padding padding = spec.padding();
        int outputPadding = spec.outputPadding();
        ConvNode.AutoPad autoPad = ConvNode.AutoPad.NOTSET;
        switch (padding.kind()) {
            case CAUSAL -> padding = Padding.explicit(ke - 1, 0);
            case SAME -> {
                if (transposed) {
                    // output W*stride (+ output padding): ke - stride is cropped whatever the width; a kernel
                    // shorter than the stride crops nothing and the output padding makes up the rest
                    int total = ke - spec.stride();
                    if (total >= 0) {
                        padding = Padding.explicit(total / 2, total - total / 2);
                    } else if (outputPadding - total < Math.max(spec.stride(), spec.dilation())) {
                        padding = Padding.explicit(0, 0);
                        outputPadding -= total;
                    } else {
                        throw new IllegalArgumentException("spec: 'same' padding with output padding " + outputPadding
                                + " on a transposed conv whose kernel is shorter than its stride; give the padding"
                                + " explicitly");
                    }
                } else if (spec.stride() == 1) {
                    // output W: the total padding is ke - 1 whatever the width, the odd one at the end
                    padding = Padding.explicit((ke - 1) / 2, ke - 1 - (ke - 1) / 2);
                } else {
                    autoPad = ConvNode.AutoPad.SAME_UPPER;
                    padding = Padding.explicit(0, 0);
                }
            }
            default -> {
                // VALID or explicit: as given
            }
        }
        List<SingleInputNode> nodes = new ArrayList<>();
        String x = input;
        boolean pads = autoPad != ConvNode.AutoPad.NOTSET
                || (padding.kind() != Padding.Kind.VALID && !padding.equals(Padding.explicit(0, 0)));
        if (spec.paddingMode() != PaddingMode.ZEROS && pads) {
            if (autoPad != ConvNode.AutoPad.NOTSET) {
                throw new IllegalArgumentException("spec: 'same' padding in mode " + spec.paddingMode()
                        + " with stride " + spec.stride() + " depends on the width; give the padding explicitly");
            }
            String pad = names.helper("pad");
            nodes.add(new PadNode(pad, x, pad, padding.left(), padding.right(), spec.paddingMode()));
            x = pad;
            padding = Padding.VALID;
        }
        Conv1dSpec canonical = spec.toBuilder().layout(Layout.NCW)
                .weightLayout(transposed ? WeightLayout.IOW : WeightLayout.OIW).padding(padding)
                .paddingMode(PaddingMode.ZEROS).outputPadding(outputPadding).activation(Activation.NONE).build();
        nodes.add(new ConvNode(name, x, name, canonical, canonicalWeights(spec, weights), bias, autoPad, 0));
        if (spec.activation() != Activation.NONE) {
            nodes.add(activation(name, names.helper(spec.activation().name().toLowerCase(java.util.Locale.ROOT)), spec));
        }
        return nodes;
    }

    /** The spec's activation as a node reading {@code input} and writing {@code output}. */
    private static PointwiseNode activation(String input, String output, Conv1dSpec spec) {
        double a = spec.alpha();
        String name = output;
        return switch (spec.activation()) {
            case RELU -> new PointwiseNode(name, input, output, Pointwise.RELU, 0, 0);
            case LEAKY_RELU -> new PointwiseNode(name, input, output, Pointwise.LEAKY_RELU, a, 0);
            case ELU -> new PointwiseNode(name, input, output, Pointwise.ELU, a, 0);
            case GELU_ERF -> new PointwiseNode(name, input, output, Pointwise.GELU, 0, 0);
            case GELU_TANH -> new PointwiseNode(name, input, output, Pointwise.GELU_TANH, 0, 0);
            case TANH -> new PointwiseNode(name, input, output, Pointwise.TANH, 0, 0);
            case SIGMOID -> new PointwiseNode(name, input, output, Pointwise.SIGMOID, 0, 0);
            case CLIP -> new PointwiseNode(name, input, output, Pointwise.CLIP, 0, a);
            case SWISH -> {
                if (a != 1) {
                    throw new IllegalArgumentException("spec: swish with alpha " + a
                            + " has no network activation (only SiLU, alpha 1)");
                }
                yield new PointwiseNode(name, input, output, Pointwise.SILU, 0, 0);
            }
            case NONE -> throw new IllegalStateException("no activation to add");
        };
    }

    /** The weights in {@code OIW} (forward) or {@code IOW} (transposed). */
    static float[] canonicalWeights(Conv1dSpec spec, float[] w) {
        int k = spec.kernelSize();
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        int inPerGroup = cin / spec.groups();
        return switch (spec.weightLayout()) {
            case OIW, IOW -> w;
            case WIO -> {
                // (K, C_in/G, C_out) to (C_out, C_in/G, K)
                float[] out = new float[w.length];
                for (int o = 0; o < cout; o++) {
                    for (int i = 0; i < inPerGroup; i++) {
                        for (int t = 0; t < k; t++) {
                            out[(o * inPerGroup + i) * k + t] = w[(t * inPerGroup + i) * cout + o];
                        }
                    }
                }
                yield out;
            }
            case WOI -> {
                // (K, C_out, C_in), groups 1, to (C_in, C_out, K)
                float[] out = new float[w.length];
                for (int i = 0; i < cin; i++) {
                    for (int o = 0; o < cout; o++) {
                        for (int t = 0; t < k; t++) {
                            out[(i * cout + o) * k + t] = w[(t * cout + o) * cin + i];
                        }
                    }
                }
                yield out;
            }
        };
    }
}
