package org.conv1d4j.cli;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.NetOptions;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code check --model}: a network on each oneDNN engine against the reference engine, within the bound
 * {@link NetCrossCheck} derives for this input; in int8 against the int8 oracle, with the error against float32
 * measured for the output and, once, per layer.
 */
final class NetCheck {
    private NetCheck() {
    }

    /** @return whether every engine passed */
    static boolean check(PrintWriter out, Path model, Path input, List<Engine> engines, Layout layout,
                         PrecisionOptions precision, boolean allowNonFinite) throws IOException {
        NetRun.Input x = NetRun.Input.read(input, layout, allowNonFinite);
        Precision p = precision.precision();
        NetOptions base = NetOptions.defaults().withLayout(layout);
        float[] f32 = null;
        if (p != Precision.F32) {
            try (Conv1dNet reference = Conv1dNet.load(model, base.withEngine(Engine.REFERENCE))) {
                x.requireFits(reference);
                f32 = reference.forward(x.data(), x.batch(), x.width());
            }
        }
        boolean allPassed = true;
        boolean layersShown = false;
        for (Engine e : engines) {
            try (Conv1dNet net = Conv1dNet.load(model, precision.apply(base.withEngine(e)))) {
                x.requireFits(net);
                float[] y = net.forward(x.data(), x.batch(), x.width());
                NetCrossCheck.Report r = NetCrossCheck.compare(net, x.data(), y, x.batch(), x.width());
                out.printf("%-20s %-10s %s %s N=%d W=%d %s: %s%s%n", model.getFileName(), e.cliName(), layout,
                        p.toString().toLowerCase(Locale.ROOT), x.batch(), x.width(),
                        p == Precision.INT8 ? "vs the int8 oracle" : "vs reference", r,
                        f32 == null ? "" : "; vs float32: " + Float32Error.of(f32, y));
                allPassed &= r.passed();
                if (p == Precision.INT8 && !layersShown) {
                    layersShown = true;
                    printLayers(out, NetCrossCheck.quantizationError(net, x.data(), x.batch(), x.width()));
                }
            }
        }
        return allPassed;
    }

    /** The int8 error against float32 after each fused layer (the oracle's figures, which every engine matches). */
    static void printLayers(PrintWriter out, List<NetCrossCheck.LayerError> layers) {
        out.printf("   int8 against float32 per layer (compounded: each includes every layer upstream):%n");
        int width = layers.stream().mapToInt(l -> l.tensor().length()).max().orElse(0);
        String format = "     %-" + Math.max(12, width) + "s %7s %12s  %s%n";
        out.printf(format, "layer output", "SNR dB", "max rel err", "nodes");
        for (NetCrossCheck.LayerError l : layers) {
            out.printf(Locale.ROOT, format, l.tensor(), String.format(Locale.ROOT, "%.1f", l.snrDb()),
                    String.format(Locale.ROOT, "%.2e", l.maxRelativeError()), String.join(", ", l.nodes()));
        }
    }
}
