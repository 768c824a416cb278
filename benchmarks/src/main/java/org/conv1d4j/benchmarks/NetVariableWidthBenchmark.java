package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.NetOptions;
import org.conv1d4j.benchmarks.nets.NetModel;
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
 * Whole networks on a fixed width against a stream of random widths in {@code [W, 2W]} ({@link WidthStream}, the
 * same as {@code VariableWidthBenchmark}'s), NCW, direct buffers: {@code buckets=exact} plans every width (a stream
 * rebuilds the network's plan per new width), {@code buckets=default} runs each width on its bucket's plan where the
 * network computes the same output columns there (TCN and the wav2vec encoder; QuartzNet's {@code same} padding
 * keeps its exact plans). The setup prints the mean output columns {@code N * OW} per call, so that fixed and
 * variable widths compare per column.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class NetVariableWidthBenchmark {
    /** A model of {@link NetModel#all()}. */
    @Param({"tcn", "wav2vec-n1", "wav2vec-n8", "quartznet"})
    public String model;

    /** {@code fixed} ({@code W}), {@code mid} (fixed {@code 1.5 W}) or {@code variable} (widths in {@code [W, 2W]}). */
    @Param({"fixed", "mid", "variable"})
    public String widths;

    /** {@code exact} or {@code default} width buckets. */
    @Param({"exact", "default"})
    public String buckets;

    private Conv1dNet net;
    private int batch;
    private WidthStream stream;
    private FloatBuffer in;
    private FloatBuffer out;

    /** Loads the network, its buffers and the stream; with buckets, runs every bucket once. */
    @Setup(Level.Trial)
    public void setUp() {
        NetModel m = NetModel.named(model);
        WidthBuckets rule = buckets.equals("exact") ? WidthBuckets.exact() : WidthBuckets.defaults();
        net = Conv1dNet.load(m.onnx(), NetOptions.defaults().withWidthBuckets(rule));
        batch = m.batch();
        stream = new WidthStream(m.width(), widths);
        int max = stream.max();
        in = DirectBuffers.allocate(batch * m.channels() * max).put(0, m.input(batch, max));
        int[] s = net.outputShape(batch, max);
        out = DirectBuffers.allocate(s[0] * s[1] * s[2]);
        if (!rule.isExact()) {
            for (int w = stream.min(); w <= max; w += Math.max(1, (max - stream.min()) / 64)) {
                net.forward(in, out, batch, w);
            }
        }
        System.out.printf("%n%s %s %s: %.1f output columns per call, %s%n", model, widths, buckets,
                stream.meanOutputColumns(batch, w -> net.outputShape(1, w)[2]),
                net.plannedWidth(batch, stream.min() + 1) > stream.min() + 1 ? "on buckets" : "on exact plans");
    }

    /** One call, at the next width of the stream. */
    @Benchmark
    public void forward() {
        net.forward(in, out, batch, stream.next());
    }

    /** Frees the network. */
    @TearDown(Level.Trial)
    public void tearDown() {
        net.close();
    }
}
