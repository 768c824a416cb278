package org.conv1d4j.onnx;

import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;

import java.util.Set;

/**
 * Recognises the activations exporters write as several nodes: SiLU as {@code Sigmoid} and a {@code Mul} by its
 * input, GELU (before opset 20) as {@code Div(x, sqrt 2) -> Erf -> Add(., 1) -> Mul(x, .) -> Mul(., 0.5)}. The
 * nodes a match takes in are added to {@code absorbed}, so that the importer skips them; every intermediate must
 * have that one reader and not be the model's output.
 */
final class Patterns {
    private static final double SQRT2 = Math.sqrt(2);
    private final Values v;
    private final Set<NodeProto> absorbed;

    Patterns(Values v, Set<NodeProto> absorbed) {
        this.v = v;
        this.absorbed = absorbed;
    }

    /** {@code Sigmoid}, or with a {@code Mul} of its input by it, SiLU. */
    NetNode sigmoid(NodeProto n) {
        new Attrs(n, Set.of());
        String x = v.data(n, 0, 1);
        String s = v.singleOutput(n);
        NodeProto mul = v.graph().soleReader(s);
        if (mul != null && mul.getOpType().equals("Mul") && mul.getInputCount() == 2 && mul.getAttributeCount() == 0
                && mul.getDomain().isEmpty() && otherInput(mul, s) != null
                && v.resolve(otherInput(mul, s)).equals(x)) {
            absorbed.add(mul);
            return new PointwiseNode(Values.name(n) + "+" + Values.name(mul), x, v.singleOutput(mul), Pointwise.SILU,
                    0, 0);
        }
        return new PointwiseNode(Values.name(n), x, s, Pointwise.SIGMOID, 0, 0);
    }

    static String otherInput(NodeProto n, String one) {
        if (n.getInputCount() != 2) {
            return null;
        }
        if (n.getInput(0).equals(one)) {
            return n.getInput(1);
        }
        return n.getInput(1).equals(one) ? n.getInput(0) : null;
    }

    boolean isConstNear(String name, double value) {
        ConstTensor t = name == null ? null : v.constantOrNull(v.resolve(name));
        return t != null && t.isFloat() && t.size() == 1 && Math.abs(t.floats[0] - value) <= 1e-6 * Math.max(1, value);
    }

    static boolean plain(NodeProto n, String op) {
        return n != null && n.getOpType().equals(op) && n.getAttributeCount() == 0
                && (n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx")) && n.getOutputCount() == 1;
    }

    /**
     * GELU as exporters write it before opset 20: {@code Div(x, sqrt 2) -> Erf -> Add(., 1) -> Mul(x, .) ->
     * Mul(., 0.5)} (or {@code Mul(x, 1/sqrt 2)} first). Anything else with {@code Div}, {@code Mul} or {@code Erf}
     * on the network's data is refused.
     */
    NetNode gelu(NodeProto n) {
        String why = n.getOpType() + " on the network's data is supported only as part of the GELU pattern (Div by "
                + "sqrt(2), Erf, Add 1, Mul by the input, Mul by 0.5) or of SiLU (Sigmoid, Mul)";
        if (!(plain(n, "Div") || plain(n, "Mul")) || n.getInputCount() != 2 || !v.isDynamic(n.getInput(0))) {
            throw Refusal.node(n, why);
        }
        String x = n.getInput(0);
        boolean scaled = n.getOpType().equals("Div") ? isConstNear(n.getInput(1), SQRT2)
                : isConstNear(n.getInput(1), 1 / SQRT2);
        NodeProto erf = v.graph().soleReader(n.getOutput(0));
        if (!scaled || !plain(erf, "Erf") || erf.getInputCount() != 1) {
            throw Refusal.node(n, why);
        }
        NodeProto add = v.graph().soleReader(erf.getOutput(0));
        if (!plain(add, "Add") || !isConstNear(otherInput(add, erf.getOutput(0)), 1)) {
            throw Refusal.node(n, why);
        }
        NodeProto mul = v.graph().soleReader(add.getOutput(0));
        String other = plain(mul, "Mul") ? otherInput(mul, add.getOutput(0)) : null;
        if (other == null || !v.resolve(other).equals(v.resolve(x))) {
            throw Refusal.node(n, why);
        }
        NodeProto half = v.graph().soleReader(mul.getOutput(0));
        if (!plain(half, "Mul") || !isConstNear(otherInput(half, mul.getOutput(0)), 0.5)) {
            throw Refusal.node(n, why);
        }
        absorbed.add(erf);
        absorbed.add(add);
        absorbed.add(mul);
        absorbed.add(half);
        return new PointwiseNode(Values.name(n) + "..." + Values.name(half), v.resolve(x), half.getOutput(0),
                Pointwise.GELU, 0, 0);
    }
}
