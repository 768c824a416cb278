package org.conv1d4j.net;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * {@code Slice} along W with step 1, as ONNX resolves its starts and ends inputs: a negative value counts from
 * the end ({@code + W}), then both are clamped to {@code [0, W]}; the output is {@code [start, end)}.
 *
 * <p>The bounds are {@link WidthExpr}s: constants where the model fixes them (a bound relative to the sliced
 * tensor's own width, {@code x[:, :, :x.size(2) - 2]}, is the constant {@code -2}), or shape arithmetic over other
 * tensors' widths (the crop {@code x[:, :, :other.size(2)]} ends at {@code W(other)}), which
 * {@link #resolve(ToIntFunction, int)} evaluates when the network is planned for an {@code (N, W)}; the rules above
 * then apply to the values.
 *
 * @param name the node's name
 * @param input the input tensor
 * @param output the output tensor
 * @param startExpr the first position kept
 * @param endExpr one past the last position kept
 */
public record SliceNode(String name, String input, String output, WidthExpr startExpr, WidthExpr endExpr)
        implements SingleInputNode {

    /**
     * Checks the arguments.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param startExpr the first position kept
     * @param endExpr one past the last position kept
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public SliceNode {
        NodeChecks.name("name", name);
        NodeChecks.name("input", input);
        NodeChecks.name("output", output);
        Objects.requireNonNull(startExpr, "startExpr");
        Objects.requireNonNull(endExpr, "endExpr");
    }

    /**
     * A slice the model fixes.
     *
     * @param name the node's name
     * @param input the input tensor
     * @param output the output tensor
     * @param start the first position kept
     * @param end one past the last position kept
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public SliceNode(String name, String input, String output, long start, long end) {
        this(name, input, output, WidthExpr.constant(start), WidthExpr.constant(end));
    }

    /**
     * @return the first position kept, as given
     * @throws IllegalStateException when it depends on widths ({@link #symbolic()}): resolve the node first
     */
    public long start() {
        return known(startExpr);
    }

    /**
     * @return one past the last position kept, as given
     * @throws IllegalStateException when it depends on widths ({@link #symbolic()}): resolve the node first
     */
    public long end() {
        return known(endExpr);
    }

    private long known(WidthExpr e) {
        if (!e.isConstant()) {
            throw new IllegalStateException("slice: node '" + name + "' keeps [" + startExpr + ", " + endExpr
                    + "), known only once the network is planned for an (N, W)");
        }
        return e.constantValue();
    }

    /** @return whether a bound is shape arithmetic, known only for a given {@code (N, W)} */
    public boolean symbolic() {
        return !startExpr.isConstant() || !endExpr.isConstant();
    }

    /** @return the tensors whose widths the bounds read (they must be computed before this node) */
    public Set<String> widthsRead() {
        Set<String> t = new TreeSet<>(startExpr.tensors());
        t.addAll(endExpr.tensors());
        return t;
    }

    /**
     * This node with its bounds evaluated.
     *
     * @param widths the width of every tensor {@link #widthsRead()} names
     * @param batch {@code N}
     * @return a node with constant bounds (this one when they already are)
     * @throws IllegalArgumentException naming {@code expression} when the arithmetic divides by zero or overflows
     */
    public SliceNode resolve(ToIntFunction<String> widths, int batch) {
        if (!symbolic()) {
            return this;
        }
        return new SliceNode(name, input, output, startExpr.evaluate(widths, batch), endExpr.evaluate(widths, batch));
    }

    @Override
    public String opType() {
        return "Slice";
    }

    @Override
    public int outputWidth(int... inputWidths) {
        int w = NodeChecks.oneInput(inputWidths, 1);
        int from = first(w);
        int to = clamp(end(), w);
        if (to <= from) {
            throw new IllegalArgumentException("width: slice [" + start() + ", " + end() + ") of width " + w
                    + " is empty");
        }
        return to - from;
    }

    /**
     * @param width the input width
     * @return the first position kept for that width
     * @throws IllegalStateException when the start depends on widths ({@link #symbolic()})
     */
    public int first(int width) {
        return clamp(start(), width);
    }

    private static int clamp(long v, int w) {
        long r = v < 0 ? v + w : v;
        return (int) Math.max(0, Math.min(w, r));
    }
}
