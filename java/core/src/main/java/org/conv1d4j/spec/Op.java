package org.conv1d4j.spec;

/** Which convolution a spec describes. */
public enum Op {
    /** Forward 1D convolution (Keras {@code Conv1D}, PyTorch {@code Conv1d}). */
    CONV1D("conv1d"),
    /** Transposed 1D convolution (Keras {@code Conv1DTranspose}, PyTorch {@code ConvTranspose1d}). */
    CONV_TRANSPOSE1D("conv_transpose1d");

    private final String wireName;

    Op(String wireName) {
        this.wireName = wireName;
    }

    /** @return the name used in {@code case.json} */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses the {@code case.json} name.
     *
     * @param name {@code conv1d} or {@code conv_transpose1d}
     * @return the op
     * @throws IllegalArgumentException for any other name
     */
    public static Op fromWireName(String name) {
        for (Op op : values()) {
            if (op.wireName.equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("op: unknown '" + name + "' (expected conv1d or conv_transpose1d)");
    }
}
