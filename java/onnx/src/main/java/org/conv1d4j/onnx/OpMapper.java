package org.conv1d4j.onnx;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.net.WidthExpr;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.spec.PaddingMode;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Maps one node on the network's data to a {@link NetNode}, or to nothing where the node is removed
 * ({@code Identity}, {@code Dropout}), or refuses it naming the node, its op and why.
 */
final class OpMapper {
    private final Values v;
    private final long opset;
    private final WindowOps windows;
    private final Patterns patterns;

    OpMapper(Values v, long opset, Patterns patterns) {
        this.v = v;
        this.opset = opset;
        this.windows = new WindowOps(v);
        this.patterns = patterns;
    }

    /**
     * @param n a node that reads the network's data
     * @return its network node, or null when it is removed
     */
    NetNode map(NodeProto n) {
        String op = n.getOpType();
        return switch (op) {
            case "Conv" -> windows.conv(n, false);
            case "ConvTranspose" -> windows.conv(n, true);
            case "BatchNormalization" -> batchNorm(n);
            case "Relu", "Tanh", "HardSwish" -> pointwise(n, Set.of(), op.equals("Relu") ? Pointwise.RELU
                    : op.equals("Tanh") ? Pointwise.TANH : Pointwise.HARD_SWISH, 0, 0);
            case "LeakyRelu" -> pointwise(n, Set.of("alpha"), Pointwise.LEAKY_RELU,
                    new Attrs(n, Set.of("alpha")).real("alpha", 0.01f), 0);
            case "Elu" -> pointwise(n, Set.of("alpha"), Pointwise.ELU, new Attrs(n, Set.of("alpha")).real("alpha", 1f), 0);
            case "HardSigmoid" -> {
                Attrs a = new Attrs(n, Set.of("alpha", "beta"));
                yield pointwise(n, Set.of("alpha", "beta"), Pointwise.HARD_SIGMOID, a.real("alpha", 0.2f),
                        a.real("beta", 0.5f));
            }
            case "Sigmoid" -> patterns.sigmoid(n);
            case "Gelu" -> gelu(n);
            case "Clip" -> clip(n);
            case "PRelu" -> prelu(n);
            case "Add" -> add(n);
            case "Div", "Mul", "Erf" -> patterns.gelu(n);
            case "Pad" -> pad(n);
            case "Slice" -> slice(n);
            case "Concat" -> concat(n);
            case "MaxPool", "AveragePool" -> windows.pool(n, op.equals("MaxPool"));
            case "GlobalMaxPool", "GlobalAveragePool" -> {
                new Attrs(n, Set.of());
                yield new GlobalPoolNode(Values.name(n), v.data(n, 0, 1), v.singleOutput(n), op.equals("GlobalMaxPool"));
            }
            case "Identity", "Dropout" -> {
                removed(n);
                yield null;
            }
            default -> throw Refusal.node(n, unsupportedWhy(n));
        };
    }

    static String unsupportedWhy(NodeProto n) {
        if (ConstantFolder.OPS.contains(n.getOpType())) {
            return "is evaluated only when all its inputs are constants, and here one is computed from the network's "
                    + "input";
        }
        return "op " + Refusal.clip(n.getOpType()) + " is not supported in a Conv1D network (supported: Conv, "
                + "ConvTranspose, BatchNormalization, Relu, LeakyRelu, Elu, Tanh, Sigmoid, Clip, HardSigmoid, "
                + "HardSwish, Gelu, PRelu, Add, Pad, Slice, Concat, MaxPool, AveragePool, GlobalMaxPool, "
                + "GlobalAveragePool, Identity, Dropout, and constant subgraphs)";
    }

    NetNode batchNorm(NodeProto n) {
        Attrs a = new Attrs(n, Set.of("epsilon", "momentum", "training_mode"));
        if (a.integer("training_mode", 0) != 0) {
            throw Refusal.node(n, "training_mode is set; only inference is supported");
        }
        String x = v.data(n, 0, 5);
        Values.arity(n, 5, 5);
        int c = v.channels(x);
        try {
            return new BatchNormNode(Values.name(n), x, v.singleOutput(n), v.floats(n, 1, "scale", c), v.floats(n, 2, "B", c),
                    v.floats(n, 3, "input_mean", c), v.floats(n, 4, "input_var", c), a.real("epsilon", 1e-5f));
        } catch (InvalidInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage());
        }
    }

    NetNode pointwise(NodeProto n, Set<String> attrs, Pointwise f, double alpha, double beta) {
        new Attrs(n, attrs);
        return new PointwiseNode(Values.name(n), v.data(n, 0, 1), v.singleOutput(n), f, alpha, beta);
    }

    NetNode gelu(NodeProto n) {
        if (opset < 20) {
            throw Refusal.node(n, "Gelu exists from opset 20; this model imports opset " + opset);
        }
        Attrs a = new Attrs(n, Set.of("approximate"));
        String approx = a.string("approximate", "none");
        Pointwise f = switch (approx) {
            case "none" -> Pointwise.GELU;
            case "tanh" -> Pointwise.GELU_TANH;
            default -> throw Refusal.node(n, "approximate '" + Refusal.clip(approx) + "' is not none or tanh");
        };
        return new PointwiseNode(Values.name(n), v.data(n, 0, 1), v.singleOutput(n), f, 0, 0);
    }

    NetNode clip(NodeProto n) {
        new Attrs(n, Set.of());
        String x = v.data(n, 0, 3);
        double min = n.getInputCount() > 1 && !n.getInput(1).isEmpty() ? v.scalar(n, 1, "min")
                : Double.NEGATIVE_INFINITY;
        double max = n.getInputCount() > 2 && !n.getInput(2).isEmpty() ? v.scalar(n, 2, "max")
                : Double.POSITIVE_INFINITY;
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw Refusal.node(n, "min " + min + " and max " + max + " do not make a range");
        }
        return new PointwiseNode(Values.name(n), x, v.singleOutput(n), Pointwise.CLIP, min, max);
    }

    NetNode prelu(NodeProto n) {
        new Attrs(n, Set.of());
        String x = v.data(n, 0, 2);
        Values.arity(n, 2, 2);
        ConstTensor slope = v.constant(n, 1, true);
        int c = v.channels(x);
        if (!slope.isFloat()) {
            throw Refusal.node(n, "the slope must be float32");
        }
        boolean scalar = slope.size() == 1;
        boolean perChannel = slope.size() == c && ((slope.rank() == 2 && slope.dims[1] == 1)
                || (slope.rank() == 3 && slope.dims[0] == 1 && slope.dims[2] == 1));
        if (!scalar && !perChannel) {
            throw Refusal.node(n, "the slope " + slope + " is neither one value nor one per channel ((C, 1) for "
                    + c + " channels)");
        }
        return new PReluNode(Values.name(n), x, v.singleOutput(n), slope.floats);
    }

    NetNode add(NodeProto n) {
        new Attrs(n, Set.of());
        Values.arity(n, 2, 2);
        if (!v.isDynamic(n.getInput(0)) || !v.isDynamic(n.getInput(1))) {
            throw Refusal.node(n, "adds a constant; only the sum of two computed tensors of the same shape (a "
                    + "residual) is supported, or the Add of the GELU pattern");
        }
        return new AddNode(Values.name(n), v.resolve(n.getInput(0)), v.resolve(n.getInput(1)), v.singleOutput(n));
    }

    NetNode pad(NodeProto n) {
        Attrs a = new Attrs(n, Set.of("mode"));
        String x = v.data(n, 0, 4);
        Values.arity(n, 2, 4);
        String modeName = a.string("mode", "constant");
        PaddingMode mode = switch (modeName) {
            case "constant" -> PaddingMode.ZEROS;
            case "reflect" -> PaddingMode.REFLECT;
            case "edge" -> PaddingMode.REPLICATE;
            case "wrap" -> PaddingMode.CIRCULAR;
            default -> throw Refusal.node(n, "mode '" + Refusal.clip(modeName) + "' is not supported");
        };
        ConstTensor padsT = v.constant(n, 1, true);
        if (padsT.isFloat()) {
            throw Refusal.node(n, "pads must be an integer tensor, got float");
        }
        ConstTensor value = v.constant(n, 2, false);
        if (value != null && (value.size() != 1 || !value.allKnown() || value.value(0) != 0)) {
            throw Refusal.node(n, "constant_value must be 0 (only zero padding is supported), got " + value);
        }
        ConstTensor axesT = v.constant(n, 3, false);
        long[] axes = axesT == null ? new long[] {0, 1, 2} : ConstantFolder.ints(n, axesT, "axes");
        if (padsT.size() != 2 * axes.length) {
            throw Refusal.node(n, "pads holds " + padsT.size() + " values for " + axes.length + " axes");
        }
        WidthExpr left = WidthExpr.constant(0);
        WidthExpr right = WidthExpr.constant(0);
        for (int i = 0; i < axes.length; i++) {
            long ax = axes[i] < 0 ? axes[i] + 3 : axes[i];
            if (ax < 0 || ax > 2) {
                throw Refusal.node(n, "axis " + axes[i] + " is out of range for a 3-D tensor");
            }
            WidthExpr b = padsT.term(i);
            WidthExpr e = padsT.term(i + axes.length);
            if (ax != 2 && !(b.equals(WidthExpr.constant(0)) && e.equals(WidthExpr.constant(0)))) {
                throw Refusal.node(n, "pads axis " + ax + " by [" + b + ", " + e + "]; only W (axis 2) may be padded");
            }
            if (ax == 2) {
                left = b;
                right = e;
            }
        }
        try {
            return new PadNode(Values.name(n), x, v.singleOutput(n), left, right, mode);
        } catch (IllegalArgumentException e) {
            throw Refusal.node(n, e.getMessage() + " along W");
        }
    }

    NetNode slice(NodeProto n) {
        new Attrs(n, Set.of());
        String x = v.data(n, 0, 5);
        Values.arity(n, 3, 5);
        ConstTensor startsT = v.constant(n, 1, true);
        ConstTensor endsT = v.constant(n, 2, true);
        if (startsT.isFloat() || endsT.isFloat()) {
            throw Refusal.node(n, "starts and ends must be integer tensors, got float");
        }
        ConstTensor axesT = v.constant(n, 3, false);
        ConstTensor stepsT = v.constant(n, 4, false);
        long[] axes = axesT == null ? null : ConstantFolder.ints(n, axesT, "axes");
        long[] steps = stepsT == null ? null : ConstantFolder.ints(n, stepsT, "steps");
        int k = startsT.size();
        if (endsT.size() != k || (axes != null && axes.length != k) || (steps != null && steps.length != k)) {
            throw Refusal.node(n, "starts, ends, axes and steps must have the same length");
        }
        WidthExpr start = WidthExpr.constant(0);
        WidthExpr end = WidthExpr.constant(Long.MAX_VALUE);
        int c = v.channels(x);
        for (int i = 0; i < k; i++) {
            long ax = axes == null ? i : axes[i] < 0 ? axes[i] + 3 : axes[i];
            if (ax < 0 || ax > 2) {
                throw Refusal.node(n, "axis " + (axes == null ? i : axes[i]) + " is out of range for a 3-D tensor");
            }
            if (steps != null && steps[i] != 1) {
                throw Refusal.node(n, "step " + steps[i] + "; only step 1 is supported");
            }
            if (ax == 2) {
                start = relativeToWidth(startsT.term(i), x);
                end = relativeToWidth(endsT.term(i), x);
            } else {
                boolean whole = startsT.known(i) && endsT.known(i) && startsT.longs[i] == 0
                        && endsT.longs[i] >= (ax == 1 ? c : Integer.MAX_VALUE);
                if (!whole) {
                    throw Refusal.node(n, "slices axis " + ax + " by [" + startsT.term(i) + ", " + endsT.term(i)
                            + "); only W (axis 2) may be sliced");
                }
            }
        }
        return new SliceNode(Values.name(n), x, v.singleOutput(n), start, end);
    }

    /**
     * A slice bound along W. One computed as the sliced tensor's own width plus a known offset ({@code Shape(x)[2]
     * - 2}) becomes that offset counted from the end ({@code -2}), a constant the fusion can fold into a conv's
     * padding; an offset of 0 or more reaches past the end. Any other shape arithmetic (another tensor's width, a
     * multiple of a width) stays an expression that {@link SliceNode} evaluates per (N, W).
     */
    private static WidthExpr relativeToWidth(WidthExpr bound, String x) {
        OptionalLong offset = bound.offsetFromWidthOf(x);
        if (offset.isEmpty()) {
            return bound;
        }
        return WidthExpr.constant(offset.getAsLong() >= 0 ? Long.MAX_VALUE : offset.getAsLong());
    }

    NetNode concat(NodeProto n) {
        Attrs a = new Attrs(n, Set.of("axis"));
        long axis = a.integer("axis", Long.MIN_VALUE);
        if (axis != 1 && axis != -2) {
            throw Refusal.node(n, "axis " + (axis == Long.MIN_VALUE ? "(missing)" : axis)
                    + "; only the channels (axis 1) of 3-D tensors may be concatenated");
        }
        List<String> in = new ArrayList<>();
        for (int i = 0; i < n.getInputCount(); i++) {
            in.add(v.data(n, i, n.getInputCount()));
        }
        if (in.isEmpty()) {
            throw Refusal.node(n, "has no inputs");
        }
        return new ConcatNode(Values.name(n), in, v.singleOutput(n));
    }

    /** {@code Identity} and inference {@code Dropout} pass their input on. */
    void removed(NodeProto n) {
        if (n.getOpType().equals("Dropout")) {
            new Attrs(n, Set.of("seed"));
            Values.arity(n, 1, 3);
            ConstTensor training = v.constant(n, 2, false);
            if (training != null && (training.size() != 1 || training.value(0) != 0)) {
                throw Refusal.node(n, "training_mode is set; only inference is supported");
            }
            v.constant(n, 1, false);
        } else {
            new Attrs(n, Set.of());
            Values.arity(n, 1, 1);
        }
        String x = v.data(n, 0, n.getInputCount());
        v.alias(v.singleOutput(n), x);
    }
}
