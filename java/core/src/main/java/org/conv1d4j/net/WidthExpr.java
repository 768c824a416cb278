package org.conv1d4j.net;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * An integer a network computes from tensor shapes, known only once the network is planned for an {@code (N, W)}:
 * a {@link PadNode}'s pads or a {@link SliceNode}'s bounds written as shape arithmetic, such as the U-Net skip
 * padding {@code F.pad(x, [d // 2, d - d // 2])} with {@code d = skip.size(2) - x.size(2)}, which PyTorch exports as
 * {@code (W(skip) - W(x)) / 2} and {@code (W(skip) - W(x)) - (W(skip) - W(x)) / 2}. Immutable; compared by
 * structure.
 *
 * <p>Terms: a {@linkplain #constant(long) constant}, the {@linkplain #widthOf(String) width of a tensor} of the
 * network ({@code W(t)}), the {@linkplain #batch() batch} {@code N}; operations: {@link #plus}, {@link #minus},
 * {@link #times}, {@link #div} (ONNX {@code Div} of integers: the quotient truncated toward zero, {@code -7 / 2 = -3}),
 * {@link #mod} (ONNX {@code Mod}: the remainder takes the divisor's sign, as Python's {@code %}, or with
 * {@code fmod} the dividend's, as C's), {@link #negate}, {@link #min}, {@link #max}. An operation on two constants
 * is computed at once. {@link #evaluate(ToIntFunction, int)} computes the value in exact 64-bit arithmetic.
 */
public final class WidthExpr {
    /** The most terms and operations one expression may hold: no unbounded work from a small model file. */
    public static final int MAX_SIZE = 256;

    private enum Kind { CONSTANT, WIDTH, BATCH, ADD, SUB, MUL, DIV, MOD, FMOD, NEG, MIN, MAX }

    private static final WidthExpr BATCH = new WidthExpr(Kind.BATCH, 0, null, null, null);

    private final Kind kind;
    private final long value;
    private final String tensor;
    private final WidthExpr a;
    private final WidthExpr b;
    private final int size;

    private WidthExpr(Kind kind, long value, String tensor, WidthExpr a, WidthExpr b) {
        this.kind = kind;
        this.value = value;
        this.tensor = tensor;
        this.a = a;
        this.b = b;
        long s = 1L + (a == null ? 0 : a.size) + (b == null ? 0 : b.size);
        if (s > MAX_SIZE) {
            throw new IllegalArgumentException("expression: more than " + MAX_SIZE + " terms and operations");
        }
        this.size = (int) s;
    }

    /**
     * @param value the number
     * @return the constant {@code value}
     */
    public static WidthExpr constant(long value) {
        return new WidthExpr(Kind.CONSTANT, value, null, null, null);
    }

    /**
     * @param tensor the name of one of the network's tensors
     * @return {@code W(tensor)}, that tensor's width
     * @throws IllegalArgumentException naming {@code tensor} when it is null or empty
     */
    public static WidthExpr widthOf(String tensor) {
        return new WidthExpr(Kind.WIDTH, 0, NodeChecks.name("tensor", tensor), null, null);
    }

    /** @return {@code N}, the batch */
    public static WidthExpr batch() {
        return BATCH;
    }

    /**
     * @param other the right operand
     * @return {@code this + other}
     * @throws IllegalArgumentException naming {@code other} when it is null, or {@code expression} when the result
     *     would exceed {@link #MAX_SIZE} or two constants overflow
     */
    public WidthExpr plus(WidthExpr other) {
        return binary(Kind.ADD, other);
    }

    /**
     * @param other the right operand
     * @return {@code this - other}
     * @throws IllegalArgumentException as {@link #plus(WidthExpr)}
     */
    public WidthExpr minus(WidthExpr other) {
        return binary(Kind.SUB, other);
    }

    /**
     * @param other the right operand
     * @return {@code this * other}
     * @throws IllegalArgumentException as {@link #plus(WidthExpr)}
     */
    public WidthExpr times(WidthExpr other) {
        return binary(Kind.MUL, other);
    }

    /**
     * ONNX {@code Div} of integers: the quotient truncated toward zero ({@code 7 / 2 = 3}, {@code -7 / 2 = -3}).
     *
     * @param other the divisor
     * @return {@code trunc(this / other)}
     * @throws IllegalArgumentException as {@link #plus(WidthExpr)}, or naming {@code other} when it is the constant 0
     */
    public WidthExpr div(WidthExpr other) {
        return binary(Kind.DIV, other);
    }

    /**
     * ONNX {@code Mod} of integers.
     *
     * @param other the divisor
     * @param fmod false: the remainder has the divisor's sign ({@code -7 mod 2 = 1}, ONNX {@code fmod = 0}, Python's
     *     {@code %}); true: the dividend's ({@code -7 mod 2 = -1}, {@code fmod = 1}, C's {@code fmod})
     * @return {@code this mod other}
     * @throws IllegalArgumentException as {@link #div(WidthExpr)}
     */
    public WidthExpr mod(WidthExpr other, boolean fmod) {
        return binary(fmod ? Kind.FMOD : Kind.MOD, other);
    }

    /**
     * @param other the other operand
     * @return {@code min(this, other)}
     * @throws IllegalArgumentException as {@link #plus(WidthExpr)}
     */
    public WidthExpr min(WidthExpr other) {
        return binary(Kind.MIN, other);
    }

    /**
     * @param other the other operand
     * @return {@code max(this, other)}
     * @throws IllegalArgumentException as {@link #plus(WidthExpr)}
     */
    public WidthExpr max(WidthExpr other) {
        return binary(Kind.MAX, other);
    }

    /**
     * @return {@code -this}
     * @throws IllegalArgumentException naming {@code expression} when the result would exceed {@link #MAX_SIZE} or
     *     a constant overflows
     */
    public WidthExpr negate() {
        if (isConstant()) {
            return constant(checked(() -> Math.negateExact(value)));
        }
        return new WidthExpr(Kind.NEG, 0, null, this, null);
    }

    private WidthExpr binary(Kind op, WidthExpr other) {
        Objects.requireNonNull(other, "other");
        if ((op == Kind.DIV || op == Kind.MOD || op == Kind.FMOD) && other.isConstant() && other.value == 0) {
            throw new IllegalArgumentException("other: divides by zero");
        }
        if (isConstant() && other.isConstant()) {
            return constant(checked(() -> apply(op, value, other.value)));
        }
        return new WidthExpr(op, 0, null, this, other);
    }

    /** @return whether the value is known without widths: a constant */
    public boolean isConstant() {
        return kind == Kind.CONSTANT;
    }

    /**
     * @return the value of a constant
     * @throws IllegalStateException when the expression is not a constant
     */
    public long constantValue() {
        if (!isConstant()) {
            throw new IllegalStateException("expression: " + this + " is known only for a given (N, W)");
        }
        return value;
    }

    /** @return the number of terms and operations, at most {@link #MAX_SIZE} */
    public int size() {
        return size;
    }

    /** @return the names of the tensors whose widths it reads, sorted */
    public Set<String> tensors() {
        Set<String> out = new TreeSet<>();
        collect(out);
        return out;
    }

    private void collect(Set<String> out) {
        if (kind == Kind.WIDTH) {
            out.add(tensor);
        }
        if (a != null) {
            a.collect(out);
        }
        if (b != null) {
            b.collect(out);
        }
    }

    /**
     * Recognises {@code W(tensor) + c}, as exporters write a bound relative to a tensor's own width ({@code
     * x[:, :, :x.size(2) - 2]}).
     *
     * @param tensor a tensor's name
     * @return {@code c} when this expression is {@code W(tensor)} plus or minus constants; empty otherwise
     */
    public OptionalLong offsetFromWidthOf(String tensor) {
        return switch (kind) {
            case WIDTH -> tensor.equals(this.tensor) ? OptionalLong.of(0) : OptionalLong.empty();
            case ADD -> b.isConstant() ? shifted(a.offsetFromWidthOf(tensor), b.value)
                    : a.isConstant() ? shifted(b.offsetFromWidthOf(tensor), a.value) : OptionalLong.empty();
            case SUB -> b.isConstant() && b.value != Long.MIN_VALUE ? shifted(a.offsetFromWidthOf(tensor), -b.value)
                    : OptionalLong.empty();
            default -> OptionalLong.empty();
        };
    }

    private static OptionalLong shifted(OptionalLong offset, long by) {
        if (offset.isEmpty()) {
            return offset;
        }
        try {
            return OptionalLong.of(Math.addExact(offset.getAsLong(), by));
        } catch (ArithmeticException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Computes the value.
     *
     * @param widths the width of each tensor the expression reads ({@link #tensors()})
     * @param batch {@code N}
     * @return the value
     * @throws IllegalArgumentException naming {@code expression} when it divides by zero or overflows 64 bits
     */
    public long evaluate(ToIntFunction<String> widths, int batch) {
        Objects.requireNonNull(widths, "widths");
        return checked(() -> eval(widths, batch));
    }

    private long eval(ToIntFunction<String> widths, int batch) {
        return switch (kind) {
            case CONSTANT -> value;
            case WIDTH -> widths.applyAsInt(tensor);
            case BATCH -> batch;
            case NEG -> Math.negateExact(a.eval(widths, batch));
            default -> apply(kind, a.eval(widths, batch), b.eval(widths, batch));
        };
    }

    private static long apply(Kind op, long x, long y) {
        return switch (op) {
            case ADD -> Math.addExact(x, y);
            case SUB -> Math.subtractExact(x, y);
            case MUL -> Math.multiplyExact(x, y);
            case DIV -> {
                if (x == Long.MIN_VALUE && y == -1) {
                    throw new ArithmeticException("long overflow");
                }
                yield x / y; // Java's / truncates toward zero, as ONNX Div does on integers
            }
            case MOD -> Math.floorMod(x, y);
            case FMOD -> x % y;
            case MIN -> Math.min(x, y);
            default -> Math.max(x, y);
        };
    }

    private interface LongComputation {
        long compute();
    }

    private long checked(LongComputation c) {
        try {
            return c.compute();
        } catch (ArithmeticException e) {
            String why = "/ by zero".equals(e.getMessage()) ? "divides by zero" : "overflows 64 bits";
            throw new IllegalArgumentException("expression: " + this + " " + why, e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WidthExpr e && kind == e.kind && value == e.value && Objects.equals(tensor, e.tensor)
                && Objects.equals(a, e.a) && Objects.equals(b, e.b);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, value, tensor, a, b);
    }

    /** @return the formula, e.g. {@code (W(skip) - W(x)) / 2}; {@code W(t)} is tensor t's width, {@code N} the batch */
    @Override
    public String toString() {
        return switch (kind) {
            case CONSTANT -> Long.toString(value);
            case WIDTH -> "W(" + tensor + ")";
            case BATCH -> "N";
            case NEG -> "-" + operand(a);
            case MIN, MAX -> kind.name().toLowerCase(java.util.Locale.ROOT) + "(" + a + ", " + b + ")";
            default -> operand(a) + " " + symbol() + " " + operand(b);
        };
    }

    private String symbol() {
        return switch (kind) {
            case ADD -> "+";
            case SUB -> "-";
            case MUL -> "*";
            case DIV -> "/";
            case MOD -> "mod";
            default -> "fmod";
        };
    }

    private static String operand(WidthExpr e) {
        boolean atom = (e.kind == Kind.CONSTANT && e.value >= 0) || e.kind == Kind.WIDTH || e.kind == Kind.BATCH
                || e.kind == Kind.MIN || e.kind == Kind.MAX;
        return atom ? e.toString() : "(" + e + ")";
    }
}
