package org.conv1d4j.spec;

/**
 * How a oneDNN engine handles channels-first ({@link Layout#NCW}) data. Channels-last data always goes in as
 * {@code nhwc} with no copy.
 */
public enum NcwStrategy {
    /** Per shape, the strategy that measured faster on this library's benchmarks (see the README). */
    AUTO,
    /** The primitive reads and writes {@code nchw} directly. */
    PLAIN,
    /** The primitive runs in its preferred layout; the input and output are reordered around it. */
    REORDER
}
