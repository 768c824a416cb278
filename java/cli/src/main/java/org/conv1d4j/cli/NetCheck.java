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

/**
 * {@code check --model}: a network on each oneDNN engine against the reference engine, within the bound
 * {@link NetCrossCheck} derives for this input.
 */
final class NetCheck {
    private NetCheck() {
    }

    /** @return whether every engine passed */
    static boolean check(PrintWriter out, Path model, Path input, List<Engine> engines, Layout layout,
                         Precision precision, boolean allowNonFinite) throws IOException {
        NetRun.Input x = NetRun.Input.read(input, layout, allowNonFinite);
        boolean allPassed = true;
        for (Engine e : engines) {
            NetOptions options = NetOptions.defaults().withEngine(e).withLayout(layout).withPrecision(precision);
            try (Conv1dNet net = Conv1dNet.load(model, options)) {
                x.requireFits(net);
                NetCrossCheck.Report r = NetCrossCheck.check(net, x.data(), x.batch(), x.width());
                out.printf("%-20s %-10s %s %s N=%d W=%d vs reference: %s%n", model.getFileName(), e.cliName(),
                        layout, precision.toString().toLowerCase(java.util.Locale.ROOT), x.batch(), x.width(), r);
                allPassed &= r.passed();
            }
        }
        return allPassed;
    }
}
