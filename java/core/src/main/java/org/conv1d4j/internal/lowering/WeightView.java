package org.conv1d4j.internal.lowering;

/** How a lowering reads the caller's weights, before oneDNN reorders them into the format it chose. */
public enum WeightView {
    /** {@link Mapping#weightDims(org.conv1d4j.spec.Conv1dSpec)}: the kernel along the width. */
    AS_GIVEN,
    /** {@link Mapping#foldedWeightDims(org.conv1d4j.spec.Conv1dSpec)}: the kernel along the height. */
    KERNEL_ALONG_HEIGHT,
    /** {@link Mapping#windowAsChannelsWeightDims(org.conv1d4j.spec.Conv1dSpec)}: the kernel in the channels. */
    WINDOW_AS_CHANNELS
}
