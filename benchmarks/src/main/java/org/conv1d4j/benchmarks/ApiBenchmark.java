package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1d;
import org.conv1d4j.DirectBuffers;
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
 * The three ways to call an op, for their time and, with {@code -prof gc}, their heap allocation per call
 * ({@code gc.alloc.rate.norm}): {@code arrays} writes the caller's array
 * ({@link Conv1d#forward(float[], float[], int, int)}, expected 0 B/op), {@code buffers} the caller's direct buffers
 * (expected 0 B/op), {@code newArray} returns a new output array (the output's size per call). E.g.
 * {@code java -jar benchmarks/target/benchmarks.jar ApiBenchmark -prof gc -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class ApiBenchmark {
    /** A workload of the suite. */
    @Param({"S1"})
    public String workload;

    /** {@code arrays}, {@code buffers} or {@code newArray}. */
    @Param({"arrays", "buffers", "newArray"})
    public String api;

    private Workload w;
    private Conv1d op;
    private float[] x;
    private float[] y;
    private FloatBuffer in;
    private FloatBuffer out;

    /** Builds the op, its arrays and its buffers. */
    @Setup(Level.Trial)
    public void setUp() {
        w = Workload.named(workload);
        op = Conv1d.create(w.spec(), w.weights(), w.bias());
        x = w.input();
        y = new float[op.outputLength(w.batch(), w.width())];
        in = DirectBuffers.allocate(x.length).put(0, x);
        out = DirectBuffers.allocate(y.length);
    }

    /**
     * One call the chosen way.
     *
     * @return the output, so that JMH keeps the call
     */
    @Benchmark
    public Object forward() {
        switch (api) {
            case "arrays" -> {
                op.forward(x, y, w.batch(), w.width());
                return y;
            }
            case "buffers" -> {
                op.forward(in, out, w.batch(), w.width());
                return out;
            }
            default -> {
                return op.forward(x, w.batch(), w.width());
            }
        }
    }

    /** Frees the op. */
    @TearDown(Level.Trial)
    public void tearDown() {
        op.close();
    }
}
