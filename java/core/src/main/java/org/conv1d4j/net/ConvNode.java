package org.conv1d4j.net;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;

import java.util.Objects;

/**
 * A {@code Conv} or {@code ConvTranspose}: {@link Conv1dSpec} holds the attributes (the spec's layout must be
 * {@link Layout#NCW}, the weights are in its {@link Conv1dSpec#weightLayout()}). Padding that ONNX derives from the
 * width, {@code auto_pad = SAME_UPPER / SAME_LOWER} and a transposed conv's {@code output_shape}, is resolved per
 * width by {@link #specFor(int)}; otherwise the spec's own padding applies.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param spec the conv's attributes
 * @param weights the weights in the spec's weight layout, {@code spec.weightCount()} floats (copied)
 * @param bias {@code C_out} floats, or {@code null} when the spec has no bias (copied)
 * @param autoPad how the padding follows the width
 * @param outputShape a transposed conv's fixed output width, or 0 for none
 */
// the arrays are the layer's parameters, held as given (they can be large); nodes are told apart by name, never
// compared or hashed by content
@SuppressWarnings("ArrayRecordComponent")
public record ConvNode(String name, String input, String output, Conv1dSpec spec, float[] weights, float[] bias,
        AutoPad autoPad, int outputShape) implements SingleInputNode {

    /** How ONNX's {@code auto_pad} derives a conv's padding from the width. */
    public enum AutoPad {
        /** The spec's padding as given (ONNX {@code NOTSET} with {@code pads}, or {@code VALID}). */
        NOTSET,
        /** Output {@code ceil(W/stride)} (forward) or {@code W*stride} (transposed), odd padding at the end. */
        SAME_UPPER,
        /** As {@link #SAME_UPPER} with the odd padding at the start. */
        SAME_LOWER
    }

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param spec the conv's attributes
     * @param weights the weights in the spec's weight layout, {@code spec.weightCount()} floats (copied)
     * @param bias {@code C_out} floats, or {@code null} when the spec has no bias (copied)
     * @param autoPad how the padding follows the width
     * @param outputShape a transposed conv's fixed output width, or 0 for none
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public ConvNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(autoPad, "autoPad");
        if (spec.layout() != Layout.NCW) {
            throw new IllegalArgumentException("spec: a network's conv runs on NCW tensors, got layout " + spec.layout());
        }
        weights = NodeChecks.copy("weights", weights, spec.weightCount());
        if (spec.hasBias()) {
            bias = NodeChecks.copy("bias", bias, spec.outChannels());
        } else if (bias != null) {
            throw new IllegalArgumentException("bias: the spec has bias=false but a bias was given");
        }
        if (outputShape < 0 || (outputShape > 0 && spec.op() != Op.CONV_TRANSPOSE1D)) {
            throw new IllegalArgumentException("outputShape: only a transposed conv has one, and it must be >= 1, got "
                    + outputShape);
        }
        if ((autoPad != AutoPad.NOTSET || outputShape > 0) && spec.padding().kind() != Padding.Kind.VALID
                && !spec.padding().equals(Padding.explicit(0, 0))) {
            throw new IllegalArgumentException("autoPad: " + autoPad + (outputShape > 0 ? " with an output shape" : "")
                    + " derives the padding; the spec must not give any, got " + spec.padding());
        }
    }

    /** @return a copy of the weights */
    @Override
    public float[] weights() {
        return weights.clone();
    }

    /** @return a copy of the bias, or {@code null} */
    @Override
    public float[] bias() {
        return bias == null ? null : bias.clone();
    }

    @Override
    public String opType() {
        return spec.op() == Op.CONV1D ? "Conv" : "ConvTranspose";
    }

    @Override
    public int outputChannels(int... inputChannels) {
        int c = NodeChecks.oneInput(inputChannels, 1);
        if (c != spec.inChannels()) {
            throw new IllegalArgumentException("channels: the weights expect " + spec.inChannels()
                    + " input channels, the input has " + c);
        }
        return spec.outChannels();
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, 1);
        return specFor(w).geometry(w).outWidth();
    }

    /**
     * The spec that runs on inputs of width {@code width}: this node's spec with the padding that {@link #autoPad()}
     * and {@link #outputShape()} give for that width.
     *
     * @param width the input width, at least 1
     * @return the spec
     * @throws IllegalArgumentException naming {@code width} when no padding gives the asked output
     */
    public Conv1dSpec specFor(int width) {
        if (width < 1) {
            throw new IllegalArgumentException("width: must be >= 1, got " + width);
        }
        if (autoPad == AutoPad.NOTSET && outputShape == 0) {
            return spec;
        }
        long s = spec.stride();
        long ke = spec.effectiveKernel();
        long total;
        if (spec.op() == Op.CONV1D) {
            long out = (width + s - 1) / s;
            total = Math.max((out - 1) * s + ke - width, 0);
        } else {
            long target = outputShape > 0 ? outputShape : width * s;
            total = s * (width - 1) + spec.outputPadding() + ke - target;
            if (total < 0) {
                throw new IllegalArgumentException("width: an input of width " + width + " cannot give the output width "
                        + target + " (the full transposed output is " + (s * (width - 1) + ke) + " wide)");
            }
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("width: padding " + total + " exceeds 2^31-1");
        }
        // ONNX: SAME_UPPER puts the odd one at the end; SAME_LOWER, and a transposed conv's output_shape without
        // SAME_UPPER, at the start.
        long start = autoPad == AutoPad.SAME_UPPER ? total / 2 : total - total / 2;
        return spec.toBuilder().padding(Padding.explicit((int) start, (int) (total - start))).build();
    }

    @Override
    public String toString() {
        return opType() + " '" + name + "' " + input + " -> " + output + ": " + spec
                + (autoPad != AutoPad.NOTSET ? ", auto_pad=" + autoPad : "")
                + (outputShape > 0 ? ", output_shape=" + outputShape : "");
    }
}
