package org.conv1d4j.net;

import org.conv1d4j.spec.PaddingMode;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * {@code Pad} along W: {@code left} positions before the input and {@code right} after it, filled as
 * {@link PaddingMode} says (ONNX {@code constant} with value 0 is {@link PaddingMode#ZEROS}, {@code reflect} is
 * {@link PaddingMode#REFLECT}, {@code edge} is {@link PaddingMode#REPLICATE}, {@code wrap} is
 * {@link PaddingMode#CIRCULAR}).
 *
 * <p>The pads are {@link WidthExpr}s: constants where the model fixes them, or shape arithmetic over other tensors'
 * widths (the U-Net skip padding: {@code left = (W(skip) - W(x)) / 2}, {@code right = (W(skip) - W(x)) - left}),
 * which {@link #resolve(ToIntFunction, int)} evaluates when the network is planned for an {@code (N, W)}; a value
 * below 0 there is refused.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param leftExpr positions added before the first input
 * @param rightExpr positions added after the last input
 * @param mode how they are filled
 */
public record PadNode(String name, String input, String output, WidthExpr leftExpr, WidthExpr rightExpr,
                      PaddingMode mode) implements SingleInputNode {

    /**
     * Checks the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param leftExpr positions added before the first input
     * @param rightExpr positions added after the last input
     * @param mode how they are filled
     * @throws IllegalArgumentException naming the argument that does not fit: a null, a constant pad below 0 or
     *     above {@code 2^31 - 1}
     */
    public PadNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        Objects.requireNonNull(mode, "mode");
        if (leftExpr == null || rightExpr == null) {
            throw new IllegalArgumentException("pads: must not be null");
        }
        checkPads(leftExpr.isConstant() ? leftExpr.constantValue() : 0,
                rightExpr.isConstant() ? rightExpr.constantValue() : 0);
    }

    /**
     * A pad the model fixes.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param left positions added before the first input
     * @param right positions added after the last input
     * @param mode how they are filled
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public PadNode(String name, String input, String output, int left, int right, PaddingMode mode) {
        this(name, input, output, WidthExpr.constant(left), WidthExpr.constant(right), mode);
    }

    private static void checkPads(long left, long right) {
        if (left < 0 || right < 0 || left > Integer.MAX_VALUE || right > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pads: must be >= 0, got [" + left + ", " + right + "]");
        }
    }

    /**
     * @return positions added before the first input
     * @throws IllegalStateException when they depend on widths ({@link #symbolic()}): resolve the node first
     */
    public int left() {
        return (int) known(leftExpr);
    }

    /**
     * @return positions added after the last input
     * @throws IllegalStateException when they depend on widths ({@link #symbolic()}): resolve the node first
     */
    public int right() {
        return (int) known(rightExpr);
    }

    private long known(WidthExpr e) {
        if (!e.isConstant()) {
            throw new IllegalStateException("pads: node '" + name + "' pads by [" + leftExpr + ", " + rightExpr
                    + "], known only once the network is planned for an (N, W)");
        }
        return e.constantValue();
    }

    /** @return whether a pad is shape arithmetic, known only for a given {@code (N, W)} */
    public boolean symbolic() {
        return !leftExpr.isConstant() || !rightExpr.isConstant();
    }

    /** @return the tensors whose widths the pads read (they must be computed before this node) */
    public Set<String> widthsRead() {
        Set<String> t = new TreeSet<>(leftExpr.tensors());
        t.addAll(rightExpr.tensors());
        return t;
    }

    /**
     * This node with its pads evaluated.
     *
     * @param widths the width of every tensor {@link #widthsRead()} names
     * @param batch {@code N}
     * @return a node with constant pads (this one when they already are)
     * @throws IllegalArgumentException naming {@code pads} when a value is below 0 or too large, or the arithmetic
     *     divides by zero or overflows
     */
    public PadNode resolve(ToIntFunction<String> widths, int batch) {
        if (!symbolic()) {
            return this;
        }
        long l = leftExpr.evaluate(widths, batch);
        long r = rightExpr.evaluate(widths, batch);
        if (l < 0 || r < 0 || l > Integer.MAX_VALUE || r > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pads: [" + leftExpr + ", " + rightExpr + "] = [" + l + ", " + r
                    + "]; pads must be >= 0 and fit an int");
        }
        return new PadNode(name, input, output, (int) l, (int) r, mode);
    }

    @Override
    public String opType() {
        return "Pad";
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, 1);
        int left = left();
        int right = right();
        if (mode == PaddingMode.REFLECT && (left >= w || right >= w)) {
            throw new IllegalArgumentException("width: reflect padding [" + left + ", " + right
                    + "] must be smaller than the width " + w);
        }
        if (mode == PaddingMode.CIRCULAR && (left > w || right > w)) {
            throw new IllegalArgumentException("width: wrap padding [" + left + ", " + right
                    + "] must not exceed the width " + w);
        }
        long out = (long) w + left + right;
        if (out > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("width: " + w + " padded by [" + left + ", " + right
                    + "] exceeds 2^31-9");
        }
        return (int) out;
    }
}
