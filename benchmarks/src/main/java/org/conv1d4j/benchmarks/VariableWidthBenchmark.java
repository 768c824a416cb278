package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1d;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.bench.Workload;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.WidthBuckets;
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
 * A fixed width against a stream of random widths in {@code [W, 2W]} (no two consecutive calls alike). The score is
 * the time of one call; the setup prints the stream's mean output columns {@code N * OW} per call, so that the cost
 * per output column of fixed and variable widths compare on one scale. {@code buckets=exact} is one primitive per
 * width (a new width builds one; the LRU cache of 16 cannot hold the stream's widths); {@code buckets=default} is
 * {@link WidthBuckets#defaults()}, warmed up over {@code [W, 2W]} first.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class VariableWidthBenchmark {
    /** S1, S2 or wav2vec (the first layer of wav2vec 2.0's feature encoder). */
    @Param({"S1", "S2", "wav2vec"})
    public String workload;

    /** The activation layout. */
    @Param({"NWC", "NCW"})
    public String layout;

    /**
     * {@code fixed} runs the workload's width {@code W}; {@code mid} the fixed width {@code 1.5 W} (the stream's
     * mean, whose data sizes match the stream's); {@code variable} the stream of widths in {@code [W, 2W]}.
     */
    @Param({"fixed", "mid", "variable"})
    public String widths;

    /** {@code exact} or {@code default} width buckets. */
    @Param({"exact", "default"})
    public String buckets;

    private Conv1d op;
    private int batch;
    private WidthStream stream;
    private FloatBuffer in;
    private FloatBuffer out;

    /** Builds the op, its buffers and the stream of widths. */
    @Setup(Level.Trial)
    public void setUp() {
        Workload w = Workload.named(workload);
        Conv1dSpec spec = w.in(Layout.valueOf(layout));
        WidthBuckets rule = buckets.equals("exact") ? WidthBuckets.exact() : WidthBuckets.defaults();
        op = Conv1d.create(spec, w.weights(), w.bias(), Conv1dOptions.defaults().withWidthBuckets(rule));
        batch = w.batch();
        stream = new WidthStream(w.width(), widths);
        int max = stream.max();
        in = DirectBuffers.allocate(op.inputLength(batch, Math.max(max, w.width())));
        in.put(0, Workload.named(workload).input(), 0, Math.min(in.capacity(), w.input().length));
        out = DirectBuffers.allocate(op.outputLength(batch, max));
        if (!rule.isExact()) {
            op.warmUp(batch, stream.min(), max);
        }
        System.out.printf("%n%s %s %s %s: %.1f output columns per call%n", workload, layout, widths, buckets,
                stream.meanOutputColumns(batch, op::outputWidth));
    }

    /** One call, at the next width of the stream. */
    @Benchmark
    public void forward() {
        op.forward(in, out, batch, stream.next());
    }

    /** Frees the op. */
    @TearDown(Level.Trial)
    public void tearDown() {
        op.close();
    }
}
