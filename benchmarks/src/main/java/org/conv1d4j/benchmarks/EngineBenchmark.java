package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1d;
import org.conv1d4j.Conv1dSpec;
import org.conv1d4j.Engine;
import org.conv1d4j.Layout;
import org.conv1d4j.Padding;
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

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The 2D mapping against oneDNN's 1D descriptors and the reference, end to end from the caller's direct buffers,
 * on S1 = (N 1, C_in 64, C_out 64, W 128, K 3) and S4 = (16, 128, 128, 2048, K 9, depthwise), same padding, bias,
 * in both layouts. Run: {@code java -jar benchmarks/target/benchmarks.jar EngineBenchmark -rf json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBenchmark {
    /** The shape. */
    @Param({"S1", "S4"})
    public String shape;

    /** The activation layout. */
    @Param({"NWC", "NCW"})
    public String layout;

    /** The engine: onednn (2D), onednn-1d or reference. */
    @Param({"onednn", "onednn-1d", "reference"})
    public String engine;

    private Conv1d op;
    private FloatBuffer in;
    private FloatBuffer out;
    private int batch;
    private int width;

    /** Builds the op and the buffers. */
    @Setup(Level.Trial)
    public void setUp() {
        boolean s1 = shape.equals("S1");
        int c = s1 ? 64 : 128;
        int k = s1 ? 3 : 9;
        batch = s1 ? 1 : 16;
        width = s1 ? 128 : 2048;
        Conv1dSpec spec = Conv1dSpec.builder(c, c, k).groups(s1 ? 1 : c).padding(Padding.SAME)
                .layout(Layout.valueOf(layout)).build();
        Random r = new Random(1);
        float[] w = new float[spec.weightCount()];
        for (int i = 0; i < w.length; i++) {
            w[i] = r.nextFloat() - 0.5f;
        }
        op = Conv1d.create(spec, w, new float[c], Engine.fromCliName(engine));
        in = direct(batch * c * width, r);
        out = direct(batch * c * op.outputWidth(width), r);
    }

    private static FloatBuffer direct(int n, Random r) {
        FloatBuffer b = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < n; i++) {
            b.put(i, r.nextFloat() - 0.5f);
        }
        return b;
    }

    /** One call. */
    @Benchmark
    public void forward() {
        op.forward(in, out, batch, width);
    }

    /** Frees the op. */
    @TearDown(Level.Trial)
    public void tearDown() {
        op.close();
    }
}
