package org.conv1d4j.cli;

import org.conv1d4j.Conv1d;
import org.conv1d4j.DirectBuffers;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.bench.Timer;
import org.conv1d4j.bench.Workload;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

import java.io.PrintWriter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench --precision all|bf16|int8}: the suite's layers on the 2D engine in each precision asked, side by side,
 * timed in interleaved rounds, with the kernel oneDNN picked and each low precision's SNR against the float32 output.
 * int8 is calibrated min/max on the workload's own input (the best case for its scale).
 */
final class PrecisionBench {
    private static final int ROUNDS = 3;

    private final PrintWriter out;
    private final Layout layout;
    private final double budget;

    PrecisionBench(PrintWriter out, Layout layout, double budget) {
        this.out = out;
        this.layout = layout;
        this.budget = budget;
    }

    /**
     * @param name {@code all}, {@code f32}, {@code bf16} or {@code int8}, any case
     * @return the precisions it names
     * @throws IllegalArgumentException (exit 2) for anything else
     */
    static List<Precision> parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "all" -> List.of(Precision.values());
            case "f32" -> List.of(Precision.F32);
            case "bf16" -> List.of(Precision.BF16);
            case "int8" -> List.of(Precision.INT8);
            default -> throw new IllegalArgumentException("precision: unknown '" + name
                    + "' (expected f32, bf16, int8 or all)");
        };
    }

    void run(List<Workload> suite, List<Precision> precisions) {
        String isa = DnnlRuntime.get().effectiveIsa();
        out.printf("precisions on oneDNN %s, ISA %s:%n", DnnlRuntime.get().dnnlVersion(), isa);
        for (Precision p : precisions) {
            out.printf("  %-5s %s%n", lower(p), Dispatch.how(p, isa));
        }
        out.printf("layout %s, 2D engine, %d interleaved rounds of %.2f s per precision; median per call; int8 calibrated"
                + " min/max on each workload's input%n%n", layout, ROUNDS, budget);
        boolean ratios = precisions.contains(Precision.F32) && precisions.size() > 1;
        StringBuilder head = new StringBuilder(String.format("%-11s %10s", "workload", "GFLOP/call"));
        for (Precision p : precisions) {
            head.append(String.format(" %10s %7s", lower(p) + " ms", "GFLOP/s"));
            if (p != Precision.F32) {
                head.append(ratios ? String.format(" %6s", "x f32") : "").append(String.format(" %8s", "SNR dB"));
            }
        }
        out.println(head);
        List<String> kernels = new ArrayList<>();
        for (Workload w : suite) {
            double[] ms = new double[precisions.size()];
            double[] snr = new double[precisions.size()];
            String[] impl = new String[precisions.size()];
            time(w, precisions, ms, snr, impl);
            double gf = w.flops() / 1e9;
            double f32 = ratios ? ms[precisions.indexOf(Precision.F32)] : Double.NaN;
            StringBuilder row = new StringBuilder(String.format("%-11s %10.4f", w.name(), gf));
            for (int i = 0; i < precisions.size(); i++) {
                row.append(Double.isNaN(ms[i]) ? String.format(" %10s %7s", "n/a", "")
                        : String.format(" %10.4f %7.1f", ms[i], gf / ms[i] * 1e3));
                if (precisions.get(i) != Precision.F32) {
                    row.append(ratios ? String.format(" %5.2fx", f32 / ms[i]) : "")
                            .append(String.format(" %8.1f", snr[i]));
                }
            }
            out.println(row);
            out.flush();
            StringBuilder k = new StringBuilder(String.format("  %-11s", w.name()));
            for (int i = 0; i < precisions.size(); i++) {
                k.append(String.format(" %s %s;", lower(precisions.get(i)), impl[i]));
            }
            kernels.add(k.substring(0, k.length() - 1));
        }
        out.println();
        out.println((ratios ? "x f32 = f32's time over this precision's (above 1: faster than f32); " : "")
                + "SNR = 10 log10(sum y_f32^2 / sum (y - y_f32)^2) against oneDNN's f32 output of the same input; n/a = "
                + "oneDNN has no kernel for it on this ISA");
        out.println("kernels oneDNN picked:");
        kernels.forEach(out::println);
    }

    /** Times one workload in every precision, interleaved; fills the medians, the SNRs and the kernels. */
    private void time(Workload w, List<Precision> precisions, double[] ms, double[] snr, String[] impl) {
        Conv1dSpec spec = w.in(layout);
        float[] input = w.input();
        FloatBuffer in = DirectBuffers.allocate(w.inputElements()).put(0, input);
        List<Conv1d> ops = new ArrayList<>();
        List<FloatBuffer> outs = new ArrayList<>();
        try {
            float[] f32;
            try (Conv1d plain = Conv1d.create(spec, w.weights(), w.bias())) {
                f32 = plain.forward(input, w.batch(), w.width());
            }
            for (int i = 0; i < precisions.size(); i++) {
                Conv1d op = create(spec, w, input, precisions.get(i));
                ops.add(op);
                outs.add(DirectBuffers.allocate(w.outputElements()));
                impl[i] = op == null ? "none" : op.describe(w.batch(), w.width()).orElseThrow().implementation();
                snr[i] = op == null ? Double.NaN : NetCrossCheck.snrDb(f32, op.forward(input, w.batch(), w.width()));
            }
            double[][] t = new double[precisions.size()][ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < precisions.size(); i++) {
                    Conv1d op = ops.get(i);
                    FloatBuffer dst = outs.get(i);
                    t[i][round] = op == null ? Double.NaN
                            : Timer.measure(() -> op.forward(in, dst, w.batch(), w.width()), budget / ROUNDS, 3)
                                    .medianMs();
                }
            }
            for (int i = 0; i < precisions.size(); i++) {
                double[] s = t[i].clone();
                Arrays.sort(s);
                ms[i] = s[s.length / 2];
            }
        } finally {
            for (Conv1d op : ops) {
                if (op != null) {
                    op.close();
                }
            }
        }
    }

    /** @return the op in {@code p} (int8 calibrated min/max on {@code input}), or null where oneDNN has no kernel */
    private static Conv1d create(Conv1dSpec spec, Workload w, float[] input, Precision p) {
        Conv1dOptions options = p == Precision.INT8
                ? Conv1dOptions.defaults().withInt8(Calibration.minMax().of(input))
                : Conv1dOptions.defaults().withPrecision(p);
        try {
            Conv1d op = Conv1d.create(spec, w.weights(), w.bias(), options);
            try {
                op.describe(w.batch(), w.width()); // builds the primitive: fails here where oneDNN has none
                return op;
            } catch (IllegalArgumentException e) {
                op.close();
                return null;
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String lower(Precision p) {
        return p.toString().toLowerCase(Locale.ROOT);
    }
}
