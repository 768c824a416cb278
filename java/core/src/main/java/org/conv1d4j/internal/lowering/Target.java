package org.conv1d4j.internal.lowering;

import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.NcwStrategy;
import org.conv1d4j.spec.Precision;

/**
 * The options of an op that shape its lowering.
 *
 * @param mapping 2D (height 1) or 1D descriptors
 * @param precision what the primitive computes in
 * @param ncwStrategy whether NCW activations are reordered into oneDNN's preferred format
 */
public record Target(Mapping mapping, Precision precision, NcwStrategy ncwStrategy) {
    /**
     * The target of an op's options.
     *
     * @param options engine ({@code ONEDNN_2D} or {@code ONEDNN_1D}), precision and NCW strategy
     * @return the target
     */
    public static Target of(Conv1dOptions options) {
        return new Target(Mapping.of(options.engine()), options.precision(), options.ncwStrategy());
    }
}
