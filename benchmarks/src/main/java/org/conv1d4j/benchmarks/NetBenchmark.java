package org.conv1d4j.benchmarks;

import org.conv1d4j.benchmarks.nets.ChainedOps;
import org.conv1d4j.benchmarks.nets.Contenders;
import org.conv1d4j.benchmarks.nets.NetContender;
import org.conv1d4j.benchmarks.nets.NetModel;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
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
 * Whole networks ({@link NetModel#all()}, generated from a seed) per call, heap arrays in and out, in both layouts:
 * conv1d4j's network ({@code net}, on {@link #engine}), the same convs as single ops chained by hand
 * ({@code chained}, {@link ChainedOps}, on the same engine), and ONNX Runtime on the same bytes ({@code ort}:
 * tensors per call; {@code ort-pinned}: bound once), the last two only when built with {@code -Ppeers}. The ratios,
 * interleaved in rounds, come from {@link org.conv1d4j.benchmarks.nets.NetRounds}; this gives absolute times and,
 * with {@code -prof gc}, the bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class NetBenchmark {
    /** A model of {@link NetModel#all()}. */
    @Param({"tcn", "quartznet", "wav2vec-n1", "wav2vec-n8", "tasnet", "textcnn"})
    public String model;

    /** The layout of the input and output arrays. */
    @Param({"NCW", "NWC"})
    public String layout;

    /** {@code net}, {@code chained}, {@code ort} or {@code ort-pinned} (or {@code reference}, with a small width). */
    @Param({"net", "chained", "ort", "ort-pinned"})
    public String impl;

    /** conv1d4j's engine, for {@code net} and {@code chained} (ignored by the peers). */
    @Param({"ONEDNN_2D"})
    public String engine;

    /** {@code W}; 0 for the model's own (a small one for the reference engine). */
    @Param({"0"})
    public int width;

    private NetContender contender;

    /** Generates the model and sets the contender up. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        NetModel m = NetModel.named(model);
        int w = width > 0 ? width : m.width();
        contender = Contenders.create(impl, m, m.onnx(), Engine.fromCliName(engine), Layout.valueOf(layout),
                m.input(m.batch(), w), m.batch(), w);
        contender.run();
    }

    /** @return the output (so that the call is not optimised away) */
    @Benchmark
    public float[] forward() {
        contender.run();
        return contender.output();
    }

    /** Frees the contender. */
    @TearDown(Level.Trial)
    public void tearDown() {
        contender.close();
    }
}
