package org.conv1d4j.benchmarks.peers;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.bench.Workload;
import org.conv1d4j.benchmarks.WidthStream;
import org.conv1d4j.spec.Conv1dSpec;
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

import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * ONNX Runtime 1.23.2 on the stream of {@code VariableWidthBenchmark}: one {@code Conv} model whose width is
 * symbolic, intra-op 2 threads, all graph optimizations; per call, as a service would, an input tensor over a direct
 * buffer of the call's width and an output ORT allocates. ONNX Conv is NCW. The setup prints the stream's mean
 * output columns per call, as {@code VariableWidthBenchmark} does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class OrtVariableWidthBenchmark {
    /** S1, S2 or wav2vec. */
    @Param({"S1", "S2", "wav2vec"})
    public String workload;

    /** {@code fixed} ({@code W}), {@code mid} (fixed {@code 1.5 W}) or {@code variable} (widths in {@code [W, 2W]}). */
    @Param({"fixed", "mid", "variable"})
    public String widths;

    private OrtEnvironment env;
    private OrtSession session;
    private int batch;
    private int channels;
    private WidthStream stream;
    private FloatBuffer in;

    /** Builds the session and the stream. */
    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Workload w = Workload.named(workload);
        Conv1dSpec spec = w.in(Layout.NCW);
        env = OrtEnvironment.getEnvironment();
        session = symbolicWidthSession(env, w);
        batch = w.batch();
        channels = spec.inChannels();
        stream = new WidthStream(w.width(), widths);
        in = DirectBuffers.allocate(batch * channels * Math.max(stream.max(), w.width()));
        in.put(0, w.input(), 0, Math.min(in.capacity(), w.input().length));
        System.out.printf("%nort %s %s: %.1f output columns per call%n", workload, widths,
                stream.meanOutputColumns(batch, width -> spec.geometry(width).outWidth()));
    }

    /**
     * @param env the environment
     * @param w the workload
     * @return a session of the workload's {@code Conv} (NCW) with a symbolic width: intra-op 2 threads, all graph
     *     optimizations
     * @throws OrtException when ONNX Runtime refuses it
     */
    static OrtSession symbolicWidthSession(OrtEnvironment env, Workload w) throws OrtException {
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(2);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return env.createSession(OnnxConvModel.encodeSymbolicWidth(w.in(Layout.NCW), w.batch(), w.width(),
                    w.weights(), w.bias()), o);
        }
    }

    /** One call: a tensor of the call's width, a run, the result closed. */
    @Benchmark
    public Object forward() throws Exception {
        return run(env, session, in, batch, channels, stream.next());
    }

    /**
     * One call as a service makes it: a tensor over the first {@code (N, C, W)} floats of {@code in}, a run, the
     * result closed.
     *
     * @param env the environment
     * @param session the session
     * @param in the input floats, at least {@code N * C * W}
     * @param batch {@code N}
     * @param channels {@code C}
     * @param width {@code W}
     * @return the output's description (so that the call is not optimised away)
     * @throws OrtException when ONNX Runtime fails
     */
    static Object run(OrtEnvironment env, OrtSession session, FloatBuffer in, int batch, int channels, int width)
            throws OrtException {
        FloatBuffer x = in.slice(0, batch * channels * width);
        try (OnnxTensor t = OnnxTensor.createTensor(env, x, new long[] {batch, channels, width});
             OrtSession.Result y = session.run(Map.of("x", t))) {
            return y.get(0).getInfo();
        }
    }

    /** Frees the session. */
    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        session.close();
    }
}
