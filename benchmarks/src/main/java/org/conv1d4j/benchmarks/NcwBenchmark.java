package org.conv1d4j.benchmarks;

import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.NcwStrategy;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The NCW tax: the 2D engine on channels-first data read as {@code nchw} directly (PLAIN) or reordered through the
 * primitive's preferred layout on every call (REORDER), against the same layer on channels-last data (NWC).
 */
public class NcwBenchmark extends OpBenchmark {
    /** A workload of the suite. */
    @Param({"S2", "S3", "S4", "tasnet-dw", "textcnn-k3"})
    public String workload;

    /** {@code NWC} (the baseline), or NCW read {@code PLAIN} or through a {@code REORDER}. */
    @Param({"NWC", "PLAIN", "REORDER"})
    public String variant;

    /** Builds the op. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean nwc = variant.equals("NWC");
        prepare(workload, nwc ? Layout.NWC : Layout.NCW, nwc ? Conv1dOptions.defaults()
                : Conv1dOptions.defaults().withNcwStrategy(NcwStrategy.valueOf(variant)));
    }
}
