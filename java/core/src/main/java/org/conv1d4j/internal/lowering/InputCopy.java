package org.conv1d4j.internal.lowering;

/**
 * How the caller's input is copied in Java into a buffer that the primitive reads instead: column {@code j} of the
 * buffer holds the padded input's column {@code j * step}, that is input column {@code j * step - left} under the
 * spec's padding mode ({@link org.conv1d4j.spec.PaddingMode#sourceIndex}), zero where the mode says so. With
 * {@code step} 1 and {@code width = W + L + R} this is the padded input itself; with {@code step} the dilation and
 * {@code width} the kernel size, it is the one window a single output column reads.
 *
 * @param width the buffer's columns
 * @param left the left padding {@code L} of the caller's geometry
 * @param step how many padded columns one buffer column advances
 */
public record InputCopy(int width, int left, int step) {
}
