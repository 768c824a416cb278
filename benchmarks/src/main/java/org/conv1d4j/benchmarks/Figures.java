package org.conv1d4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.conv1d4j.bench.MatmulPeak;
import org.conv1d4j.bench.Workload;
import org.conv1d4j.nativeconfig.Versions;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Turns JMH's JSON results into the README's figures: a Markdown table (medians, 99.9 % error, GFLOP/s, fraction of
 * the matmul peak, ratios to raw oneDNN, to the NWC layout and to the best peer) and a PNG bar chart of GFLOP/s per
 * layer with error bars. Usage: {@code Figures OUT_DIR RESULT.json...}; writes {@code OUT_DIR/figures.md} and
 * {@code OUT_DIR/figures.png}.
 */
public final class Figures {
    private static final String[] PEERS = {"ort", "tf", "djl"};
    private static final Map<String, String> PEER_NAMES = Map.of("ort", "ONNX Runtime (NCW)", "tf",
            "TensorFlow Java (NWC)", "djl", "PyTorch/DJL (NCW)");

    private Figures() {
    }

    /** One JMH score: median and the half-width of its 99.9 % interval, in microseconds. */
    record Score(double medianUs, double errorUs) {
        double gflops(double flops) {
            return flops / (medianUs * 1e3);
        }

        /** The time's relative error carried over to GFLOP/s (first order), at most the value itself. */
        double gflopsError(double flops) {
            return gflops(flops) * Math.min(1, errorUs / medianUs);
        }
    }

    /**
     * @param args the output folder, then JMH JSON files
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: Figures OUT_DIR RESULT.json...");
            System.exit(2);
        }
        Map<String, Score> scores = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (int i = 1; i < args.length; i++) {
            for (JsonNode b : json.readTree(Path.of(args[i]).toFile())) {
                JsonNode m = b.get("primaryMetric");
                double median = m.get("scorePercentiles").get("50.0").asDouble();
                double err = m.get("scoreError").isNumber() ? m.get("scoreError").asDouble() : 0;
                scores.put(key(b), new Score(median, Double.isNaN(err) ? 0 : err));
            }
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        Files.writeString(out.resolve("figures.md"), table(scores));
        chart(scores, out.resolve("figures.png"));
    }

    private static String key(JsonNode b) {
        String name = b.get("benchmark").asText();
        JsonNode p = b.get("params");
        if (name.endsWith("PeakBenchmark.matmul2048")) {
            return "peak";
        }
        if (name.endsWith("ThroughputBenchmark.forward")) {
            return "tp/" + p.get("mode").asText() + "/" + p.get("workload").asText() + "/" + b.get("threads").asInt();
        }
        if (name.endsWith("PrecisionBenchmark.forward")) {
            return "prec/" + p.get("precision").asText() + "/" + p.get("workload").asText();
        }
        if (name.endsWith("NcwBenchmark.forward")) {
            return "ncw/" + p.get("variant").asText() + "/" + p.get("workload").asText();
        }
        if (name.endsWith("PeerBenchmark.forward")) {
            return "peer/" + p.get("peer").asText() + "/" + p.get("workload").asText();
        }
        return p.get("impl").asText() + "/" + p.get("layout").asText() + "/" + p.get("workload").asText();
    }

    private static String table(Map<String, Score> s) {
        Score peak = s.get("peak");
        double peakGflops = peak == null ? Double.NaN : peak.gflops(MatmulPeak.flops());
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Machine: %s, %d cores; oneDNN presets %s, JavaCPP %s, Java %s; peers: %s.%n",
                cpu(), Runtime.getRuntime().availableProcessors(), Versions.DNNL, Versions.JAVACPP,
                System.getProperty("java.version"), peerVersions()));
        t.append(String.format(Locale.ROOT, "Peak (oneDNN f32 matmul 2048^3, same run): %.0f GFLOP/s (%s).%n%n",
                peakGflops, fmt(peak)));
        t.append("| layer | GFLOP | ours 2D, NWC | GFLOP/s | % peak | raw oneDNN | ours/raw | ours 1D | ours 2D, NCW "
                + "| NCW/NWC | best peer | peer time | ours vs peer |\n");
        t.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Workload w : Workload.suite()) {
            Score ours = s.get("onednn/NWC/" + w.name());
            if (ours == null) {
                continue;
            }
            Score raw = s.get("raw/NWC/" + w.name());
            Score oneD = s.get("onednn-1d/NWC/" + w.name());
            Score ncw = s.get("onednn/NCW/" + w.name());
            String bestPeer = null;
            Score best = null;
            for (String p : PEERS) {
                Score ps = s.get("peer/" + p + "/" + w.name());
                if (ps != null && (best == null || ps.medianUs < best.medianUs)) {
                    best = ps;
                    bestPeer = p;
                }
            }
            double gf = ours.gflops(w.flops());
            t.append(String.format(Locale.ROOT, "| %s | %.4f | %s | %.1f | %.0f %% | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    w.name(), w.flops() / 1e9, fmt(ours), gf, 100 * gf / peakGflops, fmt(raw), ratio(raw, ours),
                    fmt(oneD), fmt(ncw), ncw == null ? "" : String.format(Locale.ROOT, "%.2fx",
                            ncw.medianUs / ours.medianUs), bestPeer == null ? "-" : PEER_NAMES.get(bestPeer),
                    fmt(best), best == null ? "-" : speedup(best.medianUs / Math.min(ours.medianUs,
                            ncw == null ? ours.medianUs : ncw.medianUs))));
        }
        t.append(referenceTable(s));
        t.append(throughputTable(s));
        t.append(variantTable(s, "ncw", new String[] {"NWC", "PLAIN", "REORDER"},
                "NCW tax (2D engine): NWC data vs NCW read as nchw (PLAIN) or reordered per call (REORDER)"));
        t.append(variantTable(s, "prec", new String[] {"F32", "BF16"}, "bf16 vs f32 (2D engine, NWC)"));
        t.append("\nTimes are JMH medians in microseconds +- the 99.9 % interval's half-width. ours/raw = raw oneDNN's "
                + "time over ours (100 % = the wrapper costs nothing). ours vs peer compares our faster layout with "
                + "the best peer in its own layout.\n");
        return t.toString();
    }

    /** Aggregate calls/s with 1, 2 and 4 client threads on one shared op, per thread mode. */
    private static String throughputTable(Map<String, Score> s) {
        StringBuilder t = new StringBuilder();
        for (Workload w : Workload.suite()) {
            for (String mode : new String[] {"latency", "throughput"}) {
                Score one = s.get("tp/" + mode + "/" + w.name() + "/1");
                if (one == null) {
                    continue;
                }
                if (t.length() == 0) {
                    t.append("\n| layer | mode | 1 client | 2 clients | 4 clients | 2 clients / 1 |\n");
                    t.append("| --- | --- | --- | --- | --- | --- |\n");
                }
                Score two = s.get("tp/" + mode + "/" + w.name() + "/2");
                Score four = s.get("tp/" + mode + "/" + w.name() + "/4");
                t.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", w.name(), mode, calls(one),
                        calls(two), calls(four), two == null ? "-" : String.format(Locale.ROOT, "%.2fx",
                                two.medianUs / one.medianUs)));
            }
        }
        return t.toString();
    }

    /** The pure-Java reference engine on the small layers, against the 2D engine. */
    private static String referenceTable(Map<String, Score> s) {
        StringBuilder t = new StringBuilder();
        for (Workload w : Workload.suite()) {
            Score ref = s.get("reference/NWC/" + w.name());
            Score ours = s.get("onednn/NWC/" + w.name());
            if (ref == null || ours == null) {
                continue;
            }
            if (t.length() == 0) {
                t.append("\n| layer | reference (Java, double accumulation) | ours 2D | ours / reference |\n");
                t.append("| --- | --- | --- | --- |\n");
            }
            t.append(String.format(Locale.ROOT, "| %s | %s | %s | %.0fx faster |%n", w.name(), fmt(ref), fmt(ours),
                    ref.medianUs / ours.medianUs));
        }
        return t.toString();
    }

    /** One row per workload, one column per variant, and each variant's time over the first one's. */
    private static String variantTable(Map<String, Score> s, String prefix, String[] variants, String title) {
        StringBuilder t = new StringBuilder();
        for (Workload w : Workload.suite()) {
            Score base = s.get(prefix + "/" + variants[0] + "/" + w.name());
            if (base == null) {
                continue;
            }
            if (t.length() == 0) {
                t.append("\n").append(title).append(":\n\n| layer |");
                for (String v : variants) {
                    t.append(' ').append(v).append(" |");
                }
                for (int i = 1; i < variants.length; i++) {
                    t.append(' ').append(variants[i]).append(" / ").append(variants[0]).append(" |");
                }
                t.append("\n|").append(" --- |".repeat(2 * variants.length)).append('\n');
            }
            t.append("| ").append(w.name()).append(" |");
            for (String v : variants) {
                t.append(' ').append(fmt(s.get(prefix + "/" + v + "/" + w.name()))).append(" |");
            }
            for (int i = 1; i < variants.length; i++) {
                Score v = s.get(prefix + "/" + variants[i] + "/" + w.name());
                t.append(v == null ? " - |" : String.format(Locale.ROOT, " %.2fx |", v.medianUs / base.medianUs));
            }
            t.append('\n');
        }
        return t.toString();
    }

    /** A throughput score: JMH's ops/s sits in the same fields. */
    private static String calls(Score s) {
        return s == null ? "-" : String.format(Locale.ROOT, "%.0f +- %.0f calls/s", s.medianUs, s.errorUs);
    }

    private static String speedup(double r) {
        return r >= 1 ? String.format(Locale.ROOT, "%.2fx faster", r) : String.format(Locale.ROOT, "%.2fx slower", 1 / r);
    }

    private static String ratio(Score num, Score den) {
        return num == null ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * num.medianUs / den.medianUs);
    }

    private static String fmt(Score s) {
        if (s == null) {
            return "-";
        }
        return s.medianUs >= 100 ? String.format(Locale.ROOT, "%.0f +- %.0f us", s.medianUs, s.errorUs)
                : String.format(Locale.ROOT, "%.2f +- %.2f us", s.medianUs, s.errorUs);
    }

    private static void chart(Map<String, Score> s, Path png) throws IOException {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        List<String[]> series = new ArrayList<>();
        series.add(new String[] {"onednn/NWC/", "conv1d4j 2D (NWC)"});
        series.add(new String[] {"raw/NWC/", "raw oneDNN (NWC)"});
        for (String p : PEERS) {
            series.add(new String[] {"peer/" + p + "/", PEER_NAMES.get(p)});
        }
        for (Workload w : Workload.suite()) {
            for (String[] sr : series) {
                Score sc = s.get(sr[0] + w.name());
                if (sc != null) {
                    data.add(sc.gflops(w.flops()), sc.gflopsError(w.flops()), sr[1], w.name());
                }
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Conv1D throughput, same run (higher is better)", "layer",
                "GFLOP/s (median, 99.9 % error)", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        StatisticalBarRenderer renderer = new StatisticalBarRenderer();
        renderer.setDrawBarOutline(false);
        renderer.setItemMargin(0.02);
        plot.setRenderer(renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.GRAY);
        plot.getRangeAxis().setLowerBound(0);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1400, 650);
    }

    /** @return the CPU's model name from {@code /proc/cpuinfo}, or the architecture where it cannot be read */
    public static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
        return System.getProperty("os.arch");
    }

    private static String peerVersions() {
        Properties p = new Properties();
        try (InputStream in = Figures.class.getResourceAsStream("versions.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "ONNX Runtime " + p.getProperty("onnxruntime") + ", TensorFlow Java " + p.getProperty("tensorflow")
                + ", PyTorch " + p.getProperty("pytorch") + " via DJL " + p.getProperty("djl") + ", JMH "
                + p.getProperty("jmh");
    }
}
