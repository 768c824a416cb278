package org.conv1d4j.benchmarks;

import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** The 2D engine in float32 and in bf16 ({@link Precision#BF16}, input converted per call), NWC. */
public class PrecisionBenchmark extends OpBenchmark {
    /** A workload of the suite. */
    @Param({"S1", "S2", "S3", "S4"})
    public String workload;

    /** {@code F32} or {@code BF16}. */
    @Param({"F32", "BF16"})
    public String precision;

    /** Builds the op. */
    @Setup(Level.Trial)
    public void setUp() {
        prepare(workload, Layout.NWC, Conv1dOptions.defaults().withPrecision(Precision.valueOf(precision)));
    }
}
