package org.conv1d4j.cli;

import org.conv1d4j.bench.Timer;
import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.WidthBuckets;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.bench.MatmulPeak;
import org.conv1d4j.bench.RawOneDnnConv;
import org.conv1d4j.bench.Workload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code conv1d4j bench}: the benchmark suite's layers on the 2D and 1D engines and on raw oneDNN (the floor), end to
 * end from direct buffers, interleaved in rounds so that the machine's drift hits all three alike. Prints GFLOP/s,
 * the fraction of the matmul peak measured in the same run, and the ratios. JMH ({@code benchmarks/}) gives the
 * figures with error bars; this is the quick look.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Time the benchmark suite on our engines and raw oneDNN (about a minute).")
final class BenchCommand implements Callable<Integer> {
    private static final int ROUNDS = 3;

    @Spec
    CommandSpec command;

    @Option(names = "--budget", defaultValue = "0.75", paramLabel = "SECONDS",
            description = "Timing budget per layer and implementation (default ${DEFAULT-VALUE}).")
    double budget;

    @Option(names = "--layout", defaultValue = "NWC", paramLabel = "LAYOUT",
            description = "NWC or NCW (default ${DEFAULT-VALUE}).")
    Layout layout;

    @Option(names = "--only", split = ",", paramLabel = "NAME",
            description = "Only these workloads (comma separated), e.g. S1,S4,tasnet-dw.")
    List<String> only;

    @Option(names = "--precision", defaultValue = "f32", paramLabel = "P",
            description = "f32 (default: ours against raw oneDNN and the 1D engine), bf16, int8 (calibrated min/max on "
                    + "each workload's own input) or all: the precisions side by side on the 2D engine, with the ISA, "
                    + "oneDNN's kernels and the SNR against f32.")
    String precision;

    @Option(names = "--variable-widths", description = "Time a stream of random widths in [W, 2W] (a new width"
            + " every call) against the fixed width W, per output column, with exact plans and with width buckets.")
    boolean variableWidths;

    @Override
    public Integer call() {
        if (!(budget > 0 && budget <= 60)) {
            throw new IllegalArgumentException("--budget: must be in (0, 60] seconds, got " + budget);
        }
        List<Workload> suite = only == null ? Workload.suite() : only.stream().map(Workload::named).toList();
        PrintWriter out = command.commandLine().getOut();
        List<Precision> precisions = PrecisionBench.parse(precision);
        if (variableWidths) {
            if (!precisions.equals(List.of(Precision.F32))) {
                throw new IllegalArgumentException("precision: --variable-widths times f32 only");
            }
            variable(suite, out);
            return 0;
        }
        if (!precisions.equals(List.of(Precision.F32))) {
            new PrecisionBench(out, layout, budget).run(suite, precisions);
            return 0;
        }
        double peak;
        try (MatmulPeak mm = new MatmulPeak()) {
            peak = MatmulPeak.flops() / (Timer.measure(mm::run, budget).medianMs() * 1e6);
        }
        out.printf("peak: oneDNN f32 matmul %d^3: %.0f GFLOP/s%n", MatmulPeak.SIZE, peak);
        out.printf("layout %s, %d interleaved rounds of %.2f s per implementation; median per call%n%n", layout,
                ROUNDS, budget);
        out.printf("%-11s %10s %10s %7s %6s %10s %8s %10s %8s%n", "workload", "GFLOP/call", "ours ms", "GFLOP/s",
                "%peak", "raw ms", "ours/raw", "1D ms", "1D/ours");
        for (Workload w : suite) {
            Row row = time(w);
            double gf = w.flops() / 1e9;
            out.printf("%-11s %10.4f %10.4f %7.1f %5.1f%% %10.4f %7.1f%% %10.4f %7.2fx%n", w.name(), gf, row.ours,
                    gf / row.ours * 1e3, 100 * gf / row.ours * 1e3 / peak, row.raw, 100 * row.raw / row.ours, row.oneD,
                    row.oneD / row.ours);
            out.flush();
        }
        out.println();
        out.println("ours/raw = raw oneDNN's time over ours (100% = no wrapper cost); 1D/ours = the 1D engine's time over"
                + " ours; every row's output agreed with raw oneDNN's within the float32 bound");
        for (Workload w : suite) {
            out.printf("  %-11s %s%n", w.name(), w.describe());
        }
        return 0;
    }

    /**
     * Fixed widths against a stream of random widths in {@code [W, 2W]}, no two consecutive alike: nanoseconds per
     * output column ({@code N * OW}), exact plans (one primitive per width, rebuilt as the LRU cache evicts) and
     * {@link WidthBuckets#defaults()} (warmed up over the range first). The fixed widths are {@code W} and
     * {@code 1.5 W}, the stream's mean, whose data sizes match the stream's: a layer whose activations leave the
     * cache between the two costs more per column at {@code 1.5 W}, stream or not.
     */
    private void variable(List<Workload> suite, PrintWriter out) {
        out.printf("layout %s, %.2f s per timing; ns per output column (N * OW); widths uniform in [W, 2W]%n%n", layout,
                budget);
        out.printf("%-11s %10s %10s %14s %8s %14s %8s %8s %6s%n", "workload", "fixed W", "fixed 1.5W",
                "variable exact", "/ W", "var. buckets", "/ W", "/ 1.5W", "plans");
        for (Workload w : suite) {
            var spec = w.in(layout);
            int n = w.batch();
            int min = w.width();
            int max = 2 * min;
            int[] stream = new int[1024];
            long columns = 0;
            Random r = new Random(5);
            for (int i = 0; i < stream.length; i++) {
                do {
                    stream[i] = min + r.nextInt(max - min + 1);
                } while (i > 0 && stream[i] == stream[i - 1]);
                columns += (long) n * spec.geometry(stream[i]).outWidth();
            }
            double perCall = (double) columns / stream.length;
            Conv1dOptions exactOptions = Conv1dOptions.defaults();
            Conv1dOptions bucketOptions = exactOptions.withWidthBuckets(WidthBuckets.defaults()).withCacheCapacity(64);
            try (Conv1d exact = Conv1d.create(spec, w.weights(), w.bias(), exactOptions);
                 Conv1d bucketed = Conv1d.create(spec, w.weights(), w.bias(), bucketOptions)) {
                FloatBuffer in = DirectBuffers.allocate(exact.inputLength(n, max));
                FloatBuffer dst = DirectBuffers.allocate(exact.outputLength(n, max));
                in.put(0, w.input());
                int plans = bucketed.warmUp(n, min, max);
                double fixed = fixedCost(exact, in, dst, n, min);
                double fixedMid = fixedCost(exact, in, dst, n, min + min / 2);
                int[] next = new int[1];
                Runnable exactStream = () -> exact.forward(in, dst, n, stream[next[0]++ % stream.length]);
                Runnable bucketStream = () -> bucketed.forward(in, dst, n, stream[next[0]++ % stream.length]);
                double varExact = Timer.measure(exactStream, budget).medianMs() * 1e6 / perCall;
                double varBuckets = Timer.measure(bucketStream, budget).medianMs() * 1e6 / perCall;
                out.printf("%-11s %10.2f %10.2f %14.2f %7.2fx %14.2f %7.2fx %7.2fx %6d%n", w.name(), fixed,
                        fixedMid, varExact, varExact / fixed, varBuckets, varBuckets / fixed, varBuckets / fixedMid,
                        plans);
                out.flush();
            }
        }
        out.println();
        out.println("/ W, / 1.5W = the stream's cost per output column over the exact plan's at that fixed width;"
                + " plans = the buckets [W, 2W] runs on (" + WidthBuckets.defaults() + ")");
    }

    /** @return the exact plan's median nanoseconds per output column at the fixed width {@code width} */
    private double fixedCost(Conv1d exact, FloatBuffer in, FloatBuffer dst, int n, int width) {
        int columns = n * exact.outputWidth(width);
        return Timer.measure(() -> exact.forward(in, dst, n, width), budget).medianMs() * 1e6 / columns;
    }

    /** @return every workload of the suite, one per line, described by shape */
    static String describeSuite() {
        StringBuilder s = new StringBuilder();
        for (Workload w : Workload.suite()) {
            s.append(String.format("  %-11s %s%n  %-11s   %s%n", w.name(), w.shape(), "", w.what()));
        }
        return s.toString();
    }

    private record Row(double ours, double raw, double oneD) {
    }

    private Row time(Workload w) {
        float[] weights = w.weights();
        float[] bias = w.bias();
        float[] input = w.input();
        FloatBuffer in = DirectBuffers.allocate(w.inputElements()).put(0, input);
        FloatBuffer ours = DirectBuffers.allocate(w.outputElements());
        FloatBuffer floor = DirectBuffers.allocate(w.outputElements());
        FloatBuffer oneD = DirectBuffers.allocate(w.outputElements());
        var spec = w.in(layout);
        try (Conv1d op2 = Conv1d.create(spec, weights, bias, Engine.ONEDNN_2D);
             Conv1d op1 = Conv1d.create(spec, weights, bias, Engine.ONEDNN_1D);
             RawOneDnnConv raw = new RawOneDnnConv(spec, w.batch(), w.width(), weights, bias, in, floor)) {
            Runnable a = () -> op2.forward(in, ours, w.batch(), w.width());
            Runnable b = raw::run;
            Runnable c = () -> op1.forward(in, oneD, w.batch(), w.width());
            a.run();
            b.run();
            c.run();
            double diff = maxAbsDiff(ours, floor);
            double bound = agreementBound(w, input, weights, bias);
            if (!(diff <= bound)) {
                throw new IllegalStateException(w.name() + ": ours and raw oneDNN differ by " + diff + " > " + bound);
            }
            List<double[]> t = new ArrayList<>(List.of(new double[ROUNDS], new double[ROUNDS], new double[ROUNDS]));
            for (int round = 0; round < ROUNDS; round++) {
                t.get(0)[round] = Timer.measure(a, budget / ROUNDS, 3).medianMs();
                t.get(1)[round] = Timer.measure(b, budget / ROUNDS, 3).medianMs();
                t.get(2)[round] = Timer.measure(c, budget / ROUNDS, 3).medianMs();
            }
            return new Row(median(t.get(0)), median(t.get(1)), median(t.get(2)));
        }
    }

    /**
     * Two float32 evaluations of the same sums differ by at most {@code 2 (R + 1) u S} (see {@code CrossCheck}), and
     * {@code S = |b| + sum |x||w| <= max|b| + R max|x| max|w|}.
     */
    private static double agreementBound(Workload w, float[] input, float[] weights, float[] bias) {
        int r = w.spec().reductionLength();
        double s = maxAbs(bias) + r * maxAbs(input) * maxAbs(weights);
        return 2 * (r + 1) * CrossCheck.UNIT_ROUNDOFF * s;
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double maxAbsDiff(FloatBuffer x, FloatBuffer y) {
        double m = 0;
        for (int i = 0; i < x.capacity(); i++) {
            m = Math.max(m, Math.abs(x.get(i) - y.get(i)));
        }
        return m;
    }

}
