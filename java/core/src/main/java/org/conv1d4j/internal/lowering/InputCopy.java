package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Layout;

/**
 * How the caller's input is copied in Java into a buffer that the primitive reads instead: column {@code j} of the
 * buffer holds the padded input's column {@code j * step}, that is input column {@code j * step - left} under the
 * spec's padding mode ({@link org.conv1d4j.spec.PaddingMode#sourceIndex}), zero where the mode says so. With
 * {@code step} 1 and {@code width = W + L + R} this is the padded input itself; with {@code step} the dilation and
 * {@code width} the kernel size, it is the one window a single output column reads. The buffer is written in
 * {@code layout}, which may differ from the caller's.
 *
 * @param width the buffer's columns
 * @param left the left padding {@code L} of the caller's geometry
 * @param step how many padded columns one buffer column advances
 * @param layout the buffer's layout: {@code (N, C, width)} or {@code (N, width, C)}
 */
public record InputCopy(int width, int left, int step, Layout layout) {
}
