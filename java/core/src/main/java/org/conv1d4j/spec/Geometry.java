package org.conv1d4j.spec;

/**
 * The widths of one call: what a spec does to an input of width {@code inWidth}.
 *
 * <p>Forward conv: the input is padded by {@code padLeft} and {@code padRight}, then
 * {@code outWidth = floor((inWidth + padLeft + padRight - effectiveKernel) / stride) + 1}.
 *
 * <p>Transposed conv: the full output has width {@code (inWidth-1)*stride + effectiveKernel}; {@code padLeft}
 * positions are cropped on its left and {@code padRight} on its right. A negative {@code padRight} (from
 * {@code output_padding}) appends positions that receive only the bias.
 *
 * @param inWidth input width {@code W}
 * @param outWidth output width
 * @param padLeft padding (forward) or crop (transposed) on the left
 * @param padRight padding (forward) or crop (transposed) on the right
 * @param effectiveKernel {@code dilation*(K-1)+1}
 */
public record Geometry(int inWidth, int outWidth, int padLeft, int padRight, int effectiveKernel) {
}
