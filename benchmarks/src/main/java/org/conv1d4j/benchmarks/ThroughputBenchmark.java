package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1d;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.bench.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Aggregate calls per second of one op shared by JMH's client threads ({@code -t 1}, {@code -t 2}, {@code -t 4}) in
 * latency mode (each call uses every OpenMP thread) and throughput mode (one core per call,
 * {@link Conv1dOptions#withThreadsPerCall(int)} 1), each client with its own buffers.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class ThroughputBenchmark {
    /** A workload of {@link Workload#suite()}. */
    @Param({"S1", "tcn-k3-d1", "textcnn-k3"})
    public String workload;

    /** {@code latency} (threadsPerCall 0) or {@code throughput} (threadsPerCall 1). */
    @Param({"latency", "throughput"})
    public String mode;

    Workload w;
    Conv1d op;

    /** Builds the shared op. */
    @Setup(Level.Trial)
    public void setUp() {
        w = Workload.named(workload);
        Conv1dOptions options = Conv1dOptions.defaults().withThreadsPerCall(mode.equals("throughput") ? 1 : 0);
        op = Conv1d.create(w.spec(), w.weights(), w.bias(), options);
    }

    /** Frees it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        op.close();
    }

    /** One client's buffers. */
    @State(Scope.Thread)
    public static class Client {
        FloatBuffer in;
        FloatBuffer out;

        /** @param b the benchmark's shared state */
        @Setup(Level.Trial)
        public void setUp(ThroughputBenchmark b) {
            in = DirectBuffers.allocate(b.w.inputElements()).put(0, b.w.input());
            out = DirectBuffers.allocate(b.w.outputElements());
        }
    }

    /** @param c this thread's buffers */
    @Benchmark
    public void forward(Client c) {
        op.forward(c.in, c.out, w.batch(), w.width());
    }
}
