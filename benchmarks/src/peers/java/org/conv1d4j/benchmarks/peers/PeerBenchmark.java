package org.conv1d4j.benchmarks.peers;

import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Layout;
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

import java.util.concurrent.TimeUnit;

/**
 * The peers of {@code shared/peers.md} on the suite's layers, each in its own layout (ONNX Runtime and PyTorch NCW,
 * TensorFlow NWC), each checked against conv1d4j's reference engine with {@link CrossCheck}'s bound before it is
 * timed. Built only with {@code -Ppeers}. The causal TCN layers are left out: DJL's conv1d pads symmetrically.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
        "-Dai.djl.pytorch.num_interop_threads=1", "-DDJL_CACHE_DIR=target/djl-cache",
        "-DENGINE_CACHE_DIR=target/djl-cache"})
public class PeerBenchmark {
    /** A workload of {@link Workload#suite()}. */
    @Param({"S1", "S2", "S3", "S4", "wav2vec", "tasnet-dw", "textcnn-k3", "textcnn-k4", "textcnn-k5"})
    public String workload;

    /** {@code ort}, {@code tf} or {@code djl}. */
    @Param({"ort", "tf", "djl"})
    public String peer;

    private PeerConv conv;

    /** Sets the peer up and checks one result against the reference. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Workload w = Workload.named(workload);
        Layout layout = peer.equals("tf") ? Layout.NWC : Layout.NCW;
        Conv1dSpec spec = w.in(layout);
        float[] input = w.input();
        conv = switch (peer) {
            case "ort" -> new OrtConv(spec, w.batch(), w.width(), w.weights(), w.bias(), input);
            case "tf" -> new TfConv(spec, w.batch(), w.width(), w.weights(), w.bias(), input);
            case "djl" -> new DjlConv(spec, w.batch(), w.width(), w.weights(), w.bias(), input);
            default -> throw new IllegalArgumentException("peer: " + peer);
        };
        conv.run();
        CrossCheck.Report report = new CrossCheck(spec, w.weights(), w.bias()).compare(conv.output(), input,
                w.batch(), w.width());
        if (!report.passed()) {
            throw new IllegalStateException(peer + " on " + workload + " disagrees with the reference: " + report);
        }
        System.out.println(peer + " on " + workload + " (" + layout + ") vs reference: " + report);
    }

    /** One call. */
    @Benchmark
    public void forward() throws Exception {
        conv.run();
    }

    /** Frees the peer. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        conv.close();
    }
}
