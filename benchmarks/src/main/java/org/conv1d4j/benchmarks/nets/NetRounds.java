package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.benchmarks.Figures;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The networks' ratio table: for each model, every contender in both layouts set up side by side in one JVM, checked
 * against the chained single ops, then timed in interleaved rounds (each round times every contender once, the order
 * rotating from round to round, so that the machine's drift hits all alike). A ratio is the median over rounds of
 * the per-round ratio; a time is the median over rounds. JMH ({@link org.conv1d4j.benchmarks.NetBenchmark}) gives the
 * absolute times with error bars and {@code -prof gc}; this gives the comparisons.
 *
 * <p>Usage: {@code NetRounds [--models tcn,...] [--layouts NCW,NWC] [--impls net,chained,ort,ort-pinned]
 * (also net-bf16, net-int8, and ort-int8: ONNX Runtime on the QdqModel copy)
 * [--engine onednn] [--rounds 5] [--budget 0.6] [--batch N] [--width W] [--out FILE.md]}. A contender that cannot
 * be set up (an engine that does not run networks yet, ONNX Runtime without {@code -Ppeers}) is reported and left
 * out. {@code --smoke true}: every model at its small width ({@link NetModel#smokeWidth()}, batch at most 2), the
 * reference engine first, one short round: that every contender loads the model and agrees with the reference.
 */
public final class NetRounds {
    /**
     * Outputs further apart than this, relative to the output's largest magnitude, are a wrong answer, not rounding:
     * a gross-error guard so that no wrong contender is timed. The precise float32 bound of a network is
     * {@code CrossCheck}'s business, not this benchmark's.
     */
    static final double GROSS_ERROR = 1e-3;

    private NetRounds() {
    }

    /**
     * @param args see the class comment
     * @throws IOException when {@code --out} cannot be written
     */
    public static void main(String[] args) throws IOException {
        Map<String, String> a = options(args);
        List<NetModel> models = a.containsKey("models")
                ? Arrays.stream(a.get("models").split(",")).map(NetModel::named).toList() : NetModel.all();
        List<Layout> layouts = Arrays.stream(a.getOrDefault("layouts", "NCW,NWC").split(","))
                .map(s -> Layout.valueOf(s.toUpperCase(Locale.ROOT))).toList();
        List<String> impls = List.of(a.getOrDefault("impls", "net,chained,ort,ort-pinned").split(","));
        Engine engine = Engine.fromCliName(a.getOrDefault("engine", "onednn"));
        boolean smoke = a.containsKey("smoke");
        int rounds = Integer.parseInt(a.getOrDefault("rounds", smoke ? "1" : "5"));
        double budget = Double.parseDouble(a.getOrDefault("budget", smoke ? "0.05" : "0.6"));
        if (smoke && !a.containsKey("impls")) {
            impls = List.of("reference", "net", "chained", "ort", "ort-pinned");
        }
        if (rounds < 1 || !(budget > 0)) {
            throw new IllegalArgumentException("--rounds must be >= 1 and --budget > 0");
        }
        System.out.println(machine());
        System.out.printf(Locale.ROOT, "engine %s; %d interleaved rounds, %.2f s per contender per round%n%n",
                engine.cliName(), rounds, budget);
        StringBuilder table = new StringBuilder(tableHeader());
        for (NetModel m : models) {
            int batch = smoke ? Math.min(m.batch(), 2) : Integer.parseInt(a.getOrDefault("batch", "" + m.batch()));
            int width = smoke ? m.smokeWidth() : Integer.parseInt(a.getOrDefault("width", "" + m.width()));
            table.append(model(m, batch, width, layouts, impls, engine, rounds, budget));
        }
        if (precisionRows.length() > 0) {
            table.append("\n| model | layout | net f32 | net bf16 | net int8 | net int8, per-conv choice | ORT int8 "
                    + "| f32 / bf16 | f32 / int8 | f32 / int8 choice | ORT f32 / bf16 | ORT f32 / int8 "
                    + "| ORT int8 / net int8 | SNR net int8 | SNR ORT int8 |\n"
                    + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n")
                    .append(precisionRows);
        }
        System.out.println();
        System.out.println(table);
        if (a.containsKey("out")) {
            Files.writeString(Path.of(a.get("out")), String.format(Locale.ROOT, "Machine: %s; conv1d4j engine %s; "
                    + "%d interleaved rounds of %.2f s per contender.%n%n", machine(), engine.cliName(), rounds, budget)
                    + table);
        }
    }

    static String machine() {
        return String.format(Locale.ROOT, "%s, %d cores, ISA %s, Java %s", Figures.cpu(),
                Runtime.getRuntime().availableProcessors(), DnnlRuntime.get().effectiveIsa(),
                System.getProperty("java.version"));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: NetRounds [--models a,b] [--layouts NCW,NWC] [--impls "
                        + "reference,net,chained,ort,ort-pinned] [--engine onednn] [--rounds N] [--budget SECONDS] "
                        + "[--batch N] [--width W] [--smoke true] [--out FILE]; bad argument '" + args[i] + "'");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }

    /** A contender set up for one layout, with its times per round. */
    // ms is filled round by round; entries are never compared
    @SuppressWarnings("ArrayRecordComponent")
    private record Entry(String impl, Layout layout, NetContender contender, double[] ms) {
        String key() {
            return impl + "/" + layout;
        }
    }

    /** The precision table's rows, where bf16 or int8 contenders ran. */
    private static final StringBuilder precisionRows = new StringBuilder();

    private static String model(NetModel m, int batch, int width, List<Layout> layouts, List<String> impls,
            Engine engine, int rounds, double budget) {
        byte[] onnx = m.onnx();
        NetGraph graph = NetModel.graph(onnx);
        double flops = NetModel.convFlops(graph, batch, width);
        System.out.printf(Locale.ROOT, "%s: %s%n  N %d, W %d, %.3f GFLOP of convs per call, model %.1f MB, %d nodes "
                + "after import%n", m.name(), m.what(), batch, width, flops / 1e9, onnx.length / 1e6,
                graph.nodes().size());
        List<Entry> entries = new ArrayList<>();
        Map<String, Double> snrs = new LinkedHashMap<>();
        try {
            for (Layout layout : layouts) {
                float[] input = m.input(batch, width);
                float[] check = null;
                for (String impl : impls) {
                    NetContender c;
                    try {
                        c = Contenders.create(impl, m, onnx, engine, layout, input, batch, width);
                    } catch (Exception e) {
                        System.out.printf("  %-10s %s: not run: %s%n", impl, layout, e.getMessage());
                        continue;
                    }
                    c.run();
                    float[] out = c.output().clone();
                    double diff = check == null ? 0 : Contenders.relativeDifference(out, check);
                    if (check == null) {
                        check = out;
                    }
                    if (!(diff <= Contenders.grossError(impl))) {
                        System.out.printf(Locale.ROOT, "  %-10s %s: WRONG, differs from %s by %.3g of max|y|; not "
                                + "timed%n", impl, layout, firstImpl(entries, layout, impl), diff);
                        c.close();
                        continue;
                    }
                    double snr = out.length == check.length ? NetCrossCheck.snrDb(check, out) : Double.NaN;
                    System.out.printf(Locale.ROOT, "  %-10s %s: set up%s, max|y| %.3g, max|diff| %.2g of max|y|, SNR "
                            + "%.1f dB against %s%n", impl, layout, c instanceof ChainedOps ch ? " (" + ch.describe()
                            + ")" : "", maxAbs(out), diff, snr, firstImpl(entries, layout, impl));
                    entries.add(new Entry(impl, layout, c, new double[rounds]));
                    snrs.put(impl + "/" + layout, snr);
                }
            }
            for (int r = 0; r < rounds; r++) {
                StringBuilder progress = new StringBuilder();
                for (int k = 0; k < entries.size(); k++) {
                    Entry e = entries.get((k + r) % entries.size());
                    e.ms()[r] = CallTimer.medianMs(e.contender()::run, budget, 3);
                    progress.append(String.format(Locale.ROOT, " %s %.2f", e.key(), e.ms()[r]));
                }
                System.out.println("  round " + (r + 1) + " (ms):" + progress);
            }
        } finally {
            for (Entry e : entries) {
                e.contender().close();
            }
        }
        Map<String, double[]> times = new LinkedHashMap<>();
        for (Entry e : entries) {
            times.put(e.key(), e.ms());
            System.out.printf(Locale.ROOT, "  %-10s %s %10.3f ms %8.1f GFLOP/s   rounds %s%n", e.impl(), e.layout(),
                    median(e.ms()), flops / (median(e.ms()) * 1e6), rounded(e.ms()));
        }
        StringBuilder rows = new StringBuilder();
        for (Layout l : layouts) {
            rows.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", m.name(),
                    l, ms(times, "net/" + l, flops), ms(times, "chained/" + l, flops), ms(times, "ort/" + l, flops),
                    ms(times, "ort-pinned/" + l, flops), ratio(times, "ort/" + l, "net/" + l),
                    ratio(times, "ort-pinned/" + l, "net/" + l), ratio(times, "chained/" + l, "net/" + l),
                    ratio(times, "ort/" + l, "chained/" + l),
                    l == Layout.NCW ? ratio(times, "net/NCW", "net/NWC") : "-"));
        }
        for (Layout l : layouts) {
            if (times.containsKey("net-bf16/" + l) || times.containsKey("net-int8/" + l)
                    || times.containsKey("ort-int8/" + l)) {
                precisionRows.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s "
                        + "| %s | %s | %s | %s |%n", m.name(), l, ms(times, "net/" + l, flops),
                        ms(times, "net-bf16/" + l, flops), ms(times, "net-int8/" + l, flops),
                        ms(times, "net-int8-choice/" + l, flops), ms(times, "ort-int8/" + l, flops),
                        ratio(times, "net/" + l, "net-bf16/" + l), ratio(times, "net/" + l, "net-int8/" + l),
                        ratio(times, "net/" + l, "net-int8-choice/" + l), ratio(times, "ort/" + l, "net-bf16/" + l),
                        ratio(times, "ort/" + l, "net-int8/" + l), ratio(times, "ort-int8/" + l, "net-int8/" + l),
                        decibels(snrs, "net-int8/" + l), decibels(snrs, "ort-int8/" + l)));
            }
        }
        return rows.toString();
    }

    private static String decibels(Map<String, Double> snrs, String key) {
        Double d = snrs.get(key);
        return d == null ? "-" : String.format(Locale.ROOT, "%.1f dB", d);
    }

    private static double maxAbs(float[] a) {
        double m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    private static String firstImpl(List<Entry> entries, Layout layout, String impl) {
        for (Entry e : entries) {
            if (e.layout() == layout) {
                return e.impl();
            }
        }
        return impl + " (itself)";
    }

    private static String tableHeader() {
        return "| model | layout | net | chained ops | ORT | ORT pinned | ORT / net | ORT pinned / net | chained / net "
                + "| ORT / chained | net NCW / NWC |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    }

    private static String ms(Map<String, double[]> times, String key, double flops) {
        double[] t = times.get(key);
        if (t == null) {
            return "-";
        }
        double m = median(t);
        return String.format(Locale.ROOT, "%.2f ms (%.0f GF/s)", m, flops / (m * 1e6));
    }

    /** The median over rounds of {@code a / b}: above 1, {@code b} is faster. */
    private static String ratio(Map<String, double[]> times, String a, String b) {
        double[] ta = times.get(a);
        double[] tb = times.get(b);
        if (ta == null || tb == null) {
            return "-";
        }
        double[] r = new double[ta.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = ta[i] / tb[i];
        }
        return String.format(Locale.ROOT, "%.2fx", CallTimer.median(r));
    }

    private static double median(double[] v) {
        return CallTimer.median(v.clone());
    }

    private static String rounded(double[] v) {
        StringBuilder s = new StringBuilder();
        for (double x : v) {
            s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", x));
        }
        return s.toString();
    }
}
