package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.bench.Workload;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.FloatBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One op of the suite timed end to end from aligned direct buffers; subclasses choose the layout and the options
 * in their {@code @Setup} by calling {@link #prepare(String, Layout, Conv1dOptions)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public abstract class OpBenchmark {
    private Workload w;
    private Conv1d op;
    private FloatBuffer in;
    private FloatBuffer out;

    /**
     * Builds the op and its buffers.
     *
     * @param workload a name of {@link Workload#suite()}
     * @param layout the activation layout
     * @param options how the op runs
     */
    protected void prepare(String workload, Layout layout, Conv1dOptions options) {
        w = Workload.named(workload);
        op = Conv1d.create(w.in(layout), w.weights(), w.bias(), options);
        in = DirectBuffers.allocate(w.inputElements()).put(0, w.input());
        out = DirectBuffers.allocate(w.outputElements());
    }

    /** One call. */
    @Benchmark
    public void forward() {
        op.forward(in, out, w.batch(), w.width());
    }

    /** Frees the op. */
    @TearDown(Level.Trial)
    public void tearDown() {
        op.close();
    }
}
