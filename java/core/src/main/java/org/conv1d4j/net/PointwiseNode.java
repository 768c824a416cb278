package org.conv1d4j.net;

import java.util.Objects;

/**
 * An element-wise activation.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param function the activation
 * @param alpha its first parameter (see {@link Pointwise}); 0 where it has none
 * @param beta its second parameter; 0 where it has none
 */
public record PointwiseNode(String name, String input, String output, Pointwise function, double alpha, double beta)
        implements SingleInputNode {

    /**
     * Checks and copies the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param function the activation
     * @param alpha its first parameter (see {@link Pointwise}); 0 where it has none
     * @param beta its second parameter; 0 where it has none
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public PointwiseNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        Objects.requireNonNull(function, "function");
        if (Double.isNaN(alpha) || Double.isNaN(beta)) {
            throw new IllegalArgumentException("alpha: the parameters must not be NaN, got " + alpha + ", " + beta);
        }
        if (function == Pointwise.CLIP && alpha > beta) {
            throw new IllegalArgumentException("alpha: Clip's min " + alpha + " exceeds its max " + beta);
        }
    }

    @Override
    public String opType() {
        return function.onnxName();
    }
}
