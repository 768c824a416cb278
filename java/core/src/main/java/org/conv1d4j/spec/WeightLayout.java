package org.conv1d4j.spec;

/**
 * Memory layout of the weights the caller hands over. {@code G = groups}.
 * <ul>
 *   <li>{@link #OIW}: forward conv, PyTorch, {@code (C_out, C_in/G, K)}</li>
 *   <li>{@link #WIO}: forward conv, Keras, {@code (K, C_in/G, C_out)}</li>
 *   <li>{@link #IOW}: transposed conv, PyTorch, {@code (C_in, C_out/G, K)}</li>
 *   <li>{@link #WOI}: transposed conv, Keras, {@code (K, C_out, C_in)}, groups 1 only</li>
 * </ul>
 */
public enum WeightLayout {
    /** {@code (C_out, C_in/G, K)}. */
    OIW(Op.CONV1D),
    /** {@code (K, C_in/G, C_out)}. */
    WIO(Op.CONV1D),
    /** {@code (C_in, C_out/G, K)}. */
    IOW(Op.CONV_TRANSPOSE1D),
    /** {@code (K, C_out, C_in)}. */
    WOI(Op.CONV_TRANSPOSE1D);

    private final Op op;

    WeightLayout(Op op) {
        this.op = op;
    }

    /** @return the op this layout belongs to */
    public Op op() {
        return op;
    }
}
