package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1d;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.bench.RawOneDnnConv;
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
 * Every layer of {@link Workload#suite()} on the 2D engine, the 1D engine and raw oneDNN through JavaCPP (the floor),
 * end to end from the caller's direct buffers, in both layouts. Run with the peak and the peers in one JVM launch:
 * {@code java -jar benchmarks/target/benchmarks.jar 'SuiteBenchmark|PeakBenchmark|Peer' -rf json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SuiteBenchmark {
    /** A workload of {@link Workload#suite()}. */
    @Param({"S1", "S2", "S3", "S4", "wav2vec", "tcn-k2-d1", "tcn-k2-d512", "tcn-k3-d1", "tcn-k3-d512", "tasnet-dw",
            "textcnn-k3", "textcnn-k4", "textcnn-k5"})
    public String workload;

    /** The activation layout. */
    @Param({"NWC", "NCW"})
    public String layout;

    /**
     * {@code onednn} (2D), {@code onednn-1d}, {@code raw} (oneDNN called directly) or {@code reference} (pure Java:
     * select it with {@code -p impl=reference} on small workloads only).
     */
    @Param({"onednn", "onednn-1d", "raw"})
    public String impl;

    private Workload w;
    private Conv1d op;
    private RawOneDnnConv raw;
    private FloatBuffer in;
    private FloatBuffer out;

    /** Builds the op (or the raw primitive) over direct buffers. */
    @Setup(Level.Trial)
    public void setUp() {
        w = Workload.named(workload);
        Conv1dSpec spec = w.in(Layout.valueOf(layout));
        in = DirectBuffers.allocate(w.inputElements()).put(0, w.input());
        out = DirectBuffers.allocate(w.outputElements());
        if (impl.equals("raw")) {
            raw = new RawOneDnnConv(spec, w.batch(), w.width(), w.weights(), w.bias(), in, out);
        } else {
            op = Conv1d.create(spec, w.weights(), w.bias(), Engine.fromCliName(impl));
        }
    }

    /** One call. */
    @Benchmark
    public void forward() {
        if (raw != null) {
            raw.run();
        } else {
            op.forward(in, out, w.batch(), w.width());
        }
    }

    /** Frees the native objects. */
    @TearDown(Level.Trial)
    public void tearDown() {
        if (raw != null) {
            raw.close();
        } else {
            op.close();
        }
    }
}
