package org.conv1d4j.benchmarks;

import org.conv1d4j.bench.MatmulPeak;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** The machine's f32 peak in the same run: oneDNN matmul 2048^3 ({@link MatmulPeak}). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PeakBenchmark {
    private MatmulPeak peak;

    /** Builds the matmul. */
    @Setup(Level.Trial)
    public void setUp() {
        peak = new MatmulPeak();
    }

    /** One matmul. */
    @Benchmark
    public void matmul2048() {
        peak.run();
    }

    /** Frees it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        peak.close();
    }
}
