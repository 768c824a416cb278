package org.conv1d4j.internal.lowering;

/**
 * One spatial axis of the primitive oneDNN is asked for, in oneDNN's terms: {@code IW -> OW} with kernel {@code KW},
 * stride {@code SW}, dilation {@code DW} (oneDNN's: the framework's dilation minus 1) and padding
 * {@code PW_L}, {@code PW_R} (for a deconvolution, what is cropped from the full output).
 *
 * @param in the input extent ({@code IW})
 * @param out the output extent ({@code OW})
 * @param kernel the kernel extent ({@code KW})
 * @param stride {@code SW}
 * @param dilate {@code DW}, 0 for an undilated kernel
 * @param padLeft {@code PW_L}
 * @param padRight {@code PW_R}
 */
public record Axis(long in, long out, long kernel, long stride, long dilate, long padLeft, long padRight) {
    /** The axis of extent 1 everywhere: the height of a Conv1D mapped onto a 2D primitive. */
    public static final Axis UNIT = new Axis(1, 1, 1, 1, 0, 0, 0);

    /** @return whether this axis is {@link #UNIT} */
    public boolean isUnit() {
        return equals(UNIT);
    }
}
