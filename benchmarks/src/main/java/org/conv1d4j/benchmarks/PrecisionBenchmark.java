package org.conv1d4j.benchmarks;

import org.conv1d4j.bench.Workload;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The 2D engine in float32, in bf16 ({@link Precision#BF16}, input converted per call) and in int8
 * ({@link Precision#INT8}, input quantized per call with a min/max calibration of the workload's input), NWC.
 */
public class PrecisionBenchmark extends OpBenchmark {
    /** A workload of the suite. */
    @Param({"S1", "S2", "S3", "S4"})
    public String workload;

    /** {@code F32}, {@code BF16} or {@code INT8}. */
    @Param({"F32", "BF16", "INT8"})
    public String precision;

    /** Builds the op. */
    @Setup(Level.Trial)
    public void setUp() {
        Precision p = Precision.valueOf(precision);
        Conv1dOptions options = p == Precision.INT8
                ? Conv1dOptions.defaults().withInt8(Calibration.minMax().of(Workload.named(workload).input()))
                : Conv1dOptions.defaults().withPrecision(p);
        prepare(workload, Layout.NWC, options);
    }
}
