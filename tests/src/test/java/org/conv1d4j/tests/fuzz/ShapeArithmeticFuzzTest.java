package org.conv1d4j.tests.fuzz;

import org.conv1d4j.bench.OnnxProtos;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.WidthExpr;
import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;
import org.conv1d4j.onnx.proto.Onnx.TensorProto;
import org.conv1d4j.onnx.proto.Onnx.ValueInfoProto;
import org.conv1d4j.spec.Engine;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Differential fuzzing of shape arithmetic: a chain of integer ops ({@code Add, Sub, Mul, Div, Mod, Neg, Min, Max})
 * over the input's symbolic width and constants, each step reading the one before (so every node counts), ends a
 * {@code Slice} of another tensor. The same chain is computed here in exact Java arithmetic with ONNX's integer
 * semantics ({@code Div} truncates toward zero, {@code Mod} takes the divisor's sign): a load is refused exactly
 * when a step on constants fails (a division by zero, an overflow) or an expression outgrows
 * {@link WidthExpr#MAX_SIZE}; then for every width tried the output width is what ONNX's {@code Slice} gives, or
 * the width is refused when the arithmetic fails or the slice is empty.
 */
class ShapeArithmeticFuzzTest {
    private static final String[] OPS = {"Add", "Sub", "Mul", "Div", "Mod", "Neg", "Min", "Max"};

    /** One value of the chain as this test computes it: a constant, or a function of the width. */
    private record Value(String name, boolean constant, long number, int size, Step step) {
    }

    /** How a non-constant value is computed from the width: null for the width itself. */
    private record Step(String op, Value a, Value b) {
    }

    /** Thrown where Java's exact arithmetic fails: ONNX's would be a division by zero or an overflow. */
    private static final class Fails extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @FuzzTest(maxDuration = "")
    void arithmeticOnWidthsMatchesJava(FuzzedDataProvider data) {
        GraphProto.Builder g = GraphProto.newBuilder();
        g.addInput(input());
        g.addInitializer(scalar("two", 2));
        g.addInitializer(OnnxProtos.longs("axes", 0));
        g.addInitializer(OnnxProtos.longs("axis2", 2));
        g.addNode(node("Shape", "shape", "x"));
        g.addNode(node("Gather", "w", "shape", "two"));
        g.addNode(node("Relu", "y", "x"));
        Value width = new Value("w", false, 0, 1, null);
        List<Value> values = new ArrayList<>(List.of(width));
        boolean loads = true;
        int steps = data.consumeInt(1, 12);
        Value last = width;
        String lastName = width.name();
        for (int i = 0; i < steps && loads; i++) {
            String op = data.pickValue(OPS);
            Value b;
            if (data.consumeBoolean()) {
                long c = data.consumeInt(0, 9) == 0 ? data.consumeLong() : data.consumeLong(-12, 12);
                g.addInitializer(scalar("c" + i, c));
                b = new Value("c" + i, true, c, 1, null);
            } else {
                b = data.pickValue(values);
            }
            String name = "v" + i;
            g.addNode(op.equals("Neg") ? node(op, name, last.name()) : node(op, name, last.name(), b.name()));
            Value v = step(name, op, last, b);
            lastName = name;
            loads = v != null;
            if (loads) {
                last = v;
                values.add(v);
            }
        }
        g.addNode(node("Unsqueeze", "end", lastName, "axes"));
        g.addNode(node("Slice", "out", "y", "axes", "end", "axis2"));
        g.addOutput(ValueInfoProto.newBuilder().setName("out"));
        byte[] model = OnnxProtos.model(g);
        if (!loads) {
            assertThrows(InvalidInputException.class, () -> Conv1dNet.load(model));
            return;
        }
        int[] widths = {data.consumeInt(1, 64), data.consumeInt(1, 64), data.consumeInt(1, 1 << 20)};
        try (Conv1dNet net = Conv1dNet.load(model, NetOptions.defaults().withEngine(Engine.REFERENCE))) {
            for (int w : widths) {
                long end;
                try {
                    end = eval(last, w);
                } catch (Fails f) {
                    assertThrows(IllegalArgumentException.class, () -> net.outputShape(1, w), "W " + w);
                    continue;
                }
                long e = end < 0 ? end + w : end;
                int expected = (int) Math.max(0, Math.min(w, e));
                if (expected == 0) {
                    String why = assertThrows(IllegalArgumentException.class, () -> net.outputShape(1, w)).getMessage();
                    assertTrue(why.contains("(Slice)") && why.contains("empty"), why);
                } else {
                    assertEquals(expected, net.outputShape(1, w)[2], "W " + w + ", end " + end);
                    if (w <= 64) {
                        assertEquals(expected, net.forward(new float[w], 1, w).length, "W " + w);
                    }
                }
            }
        } catch (InvalidInputException refused) {
            fail("refused a model whose arithmetic succeeds on constants: " + refused.getMessage());
        }
    }

    /** @return the value {@code a op b}, or null where the importer must refuse the model */
    private static Value step(String name, String op, Value a, Value b) {
        boolean unary = op.equals("Neg");
        boolean divides = op.equals("Div") || op.equals("Mod");
        if (!unary && divides && b.constant() && b.number() == 0) {
            return null;
        }
        if (a.constant() && (unary || b.constant())) {
            try {
                return new Value(name, true, apply(op, a.number(), b.number()), 1, null);
            } catch (Fails f) {
                return null;
            }
        }
        int size = 1 + a.size() + (unary ? 0 : b.size());
        return size > WidthExpr.MAX_SIZE ? null : new Value(name, false, 0, size, new Step(op, a, unary ? null : b));
    }

    private static long eval(Value v, long width) {
        if (v.constant()) {
            return v.number();
        }
        if (v.step() == null) {
            return width;
        }
        Step s = v.step();
        return apply(s.op(), eval(s.a(), width), s.b() == null ? 0 : eval(s.b(), width));
    }

    private static long apply(String op, long x, long y) {
        try {
            return switch (op) {
                case "Add" -> Math.addExact(x, y);
                case "Sub" -> Math.subtractExact(x, y);
                case "Mul" -> Math.multiplyExact(x, y);
                case "Div" -> {
                    if (y == 0 || (x == Long.MIN_VALUE && y == -1)) {
                        throw new Fails();
                    }
                    yield x / y;
                }
                case "Mod" -> {
                    if (y == 0) {
                        throw new Fails();
                    }
                    yield Math.floorMod(x, y);
                }
                case "Neg" -> Math.negateExact(x);
                case "Min" -> Math.min(x, y);
                default -> Math.max(x, y);
            };
        } catch (ArithmeticException e) {
            throw new Fails();
        }
    }

    private static ValueInfoProto input() {
        return OnnxProtos.value("x", "N", 1, "W");
    }

    private static TensorProto scalar(String name, long v) {
        return OnnxProtos.longs(name, new long[] {v}, new long[0]); // rank 0
    }

    private static NodeProto node(String op, String output, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + ":" + output).addOutput(output);
        for (String in : inputs) {
            n.addInput(in);
        }
        return n.build();
    }
}
