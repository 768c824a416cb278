package org.conv1d4j.benchmarks.peers;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.conv1d4j.Conv1d;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.bench.Workload;
import org.conv1d4j.benchmarks.WidthStream;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.WidthBuckets;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * conv1d4j and ONNX Runtime on fixed widths and on a stream of random widths, interleaved: each round runs every
 * contender for a time budget and records its nanoseconds per output column ({@code N * OW}); the table gives the
 * median per contender and the medians (with quartiles) of per-round ratios, so that a noisy neighbour slows both
 * sides of a ratio alike. The widths are {@link WidthStream}'s ({@code fixed} W, {@code mid} 1.5 W, {@code variable}
 * in [W, 2W]), the contenders those of {@code VariableWidthBenchmark} (exact plans on fixed widths, the default
 * width buckets on the stream) and {@code OrtVariableWidthBenchmark} (a symbolic-width model, a tensor per call).
 *
 * <p>Usage: {@code VariableWidthRounds [--workloads S1,S2,wav2vec] [--rounds 9] [--budget 0.25]}.
 */
public final class VariableWidthRounds {
    private static final String[] WIDTHS = {"fixed", "mid", "variable"};

    private VariableWidthRounds() {
    }

    /** One contender: a call at its stream's next width. */
    private interface Contender extends AutoCloseable {
        /** @return the output columns {@code N * OW} of the call */
        long call() throws OrtException;

        @Override
        void close() throws OrtException;
    }

    /**
     * Runs the rounds and prints the table.
     *
     * @param args {@code --workloads}, {@code --rounds}, {@code --budget} (seconds per contender and round)
     * @throws Exception when ONNX Runtime fails
     */
    public static void main(String[] args) throws Exception {
        List<String> workloads = List.of("S1", "S2", "wav2vec");
        int rounds = 9;
        double budget = 0.25;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--workloads" -> workloads = List.of(args[i + 1].split(","));
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                case "--budget" -> budget = Double.parseDouble(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.printf("ISA %s, %d rounds of %.2f s per contender, ns per output column: median [quartiles]%n%n",
                DnnlRuntime.get().effectiveIsa(), rounds, budget);
        System.out.println("| layer | layout | fixed W | 1.5 W | stream | stream / fixed W | stream / 1.5 W "
                + "| ORT fixed W | ORT 1.5 W | ORT stream | ours / ORT, stream |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (String name : workloads) {
            Workload w = Workload.named(name);
            List<Contender> all = new ArrayList<>();
            try {
                for (Layout layout : new Layout[] {Layout.NWC, Layout.NCW}) {
                    for (String kind : WIDTHS) {
                        all.add(ours(w, layout, kind));
                    }
                }
                for (String kind : WIDTHS) {
                    all.add(ort(env, w, kind));
                }
                double[][] perColumn = run(all, rounds, budget);
                Layout[] layouts = {Layout.NWC, Layout.NCW};
                for (int l = 0; l < layouts.length; l++) {
                    double[] ortStream = perColumn[8];
                    System.out.printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", name,
                            layouts[l], ns(perColumn[3 * l]), ns(perColumn[3 * l + 1]),
                            ns(perColumn[3 * l + 2]), ratio(perColumn[3 * l + 2], perColumn[3 * l]),
                            ratio(perColumn[3 * l + 2], perColumn[3 * l + 1]), ns(perColumn[6]), ns(perColumn[7]),
                            ns(ortStream), ratio(perColumn[3 * l + 2], ortStream));
                }
            } finally {
                for (Contender c : all) {
                    c.close();
                }
            }
        }
    }

    /**
     * A warm-up round, then {@code rounds} rounds: per contender and round, nanoseconds per output column. Each
     * contender runs untimed for a fifth of the budget first, so that it starts on warm caches and after ONNX
     * Runtime's intra-op threads have stopped spinning: timed straight after ORT, wav2vec NWC measured 48-56 ns per
     * column instead of 28-31.
     */
    private static double[][] run(List<Contender> all, int rounds, double budget)
            throws OrtException {
        double[][] perColumn = new double[all.size()][rounds];
        for (int round = -1; round < rounds; round++) {
            for (int c = 0; c < all.size(); c++) {
                long settle = System.nanoTime() + (long) (budget * 0.2e9);
                do {
                    all.get(c).call();
                } while (System.nanoTime() < settle);
                long columns = 0;
                long start = System.nanoTime();
                long end = start + (long) (budget * 1e9);
                long now;
                do {
                    columns += all.get(c).call();
                    now = System.nanoTime();
                } while (now < end);
                if (round >= 0) {
                    perColumn[c][round] = (now - start) / (double) columns;
                }
            }
        }
        return perColumn;
    }

    private static Contender ours(Workload w, Layout layout, String kind) {
        Conv1dSpec spec = w.in(layout);
        WidthBuckets rule = kind.equals("variable") ? WidthBuckets.defaults() : WidthBuckets.exact();
        Conv1d op = Conv1d.create(spec, w.weights(), w.bias(), Conv1dOptions.defaults().withWidthBuckets(rule));
        WidthStream stream = new WidthStream(w.width(), kind);
        int batch = w.batch();
        FloatBuffer in = DirectBuffers.allocate(op.inputLength(batch, stream.max()));
        in.put(0, w.input(), 0, Math.min(in.capacity(), w.input().length));
        FloatBuffer out = DirectBuffers.allocate(op.outputLength(batch, stream.max()));
        op.warmUp(batch, stream.min(), stream.max());
        return new Contender() {
            @Override
            public long call() {
                int width = stream.next();
                op.forward(in, out, batch, width);
                return (long) batch * op.outputWidth(width);
            }

            @Override
            public void close() {
                op.close();
            }
        };
    }

    private static Contender ort(OrtEnvironment env, Workload w, String kind) throws OrtException {
        Conv1dSpec spec = w.in(Layout.NCW);
        OrtSession session = OrtVariableWidthBenchmark.symbolicWidthSession(env, w);
        WidthStream stream = new WidthStream(w.width(), kind);
        int batch = w.batch();
        int channels = spec.inChannels();
        FloatBuffer in = DirectBuffers.allocate(batch * channels * stream.max());
        in.put(0, w.input(), 0, Math.min(in.capacity(), w.input().length));
        return new Contender() {
            @Override
            public long call() throws OrtException {
                int width = stream.next();
                OrtVariableWidthBenchmark.run(env, session, in, batch, channels, width);
                return (long) batch * spec.geometry(width).outWidth();
            }

            @Override
            public void close() throws OrtException {
                session.close();
            }
        };
    }

    private static String ns(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return String.format("%.1f", median(s));
    }

    /** The median of per-round ratios {@code a / b}, with its quartiles. */
    private static String ratio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        Arrays.sort(r);
        return String.format("%.2fx [%.2f, %.2f]", median(r), r[r.length / 4], r[(3 * r.length) / 4]);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
