package org.conv1d4j.benchmarks;

import org.conv1d4j.Conv1d;
import org.conv1d4j.NetCrossCheck;
import org.conv1d4j.bench.Workload;
import org.conv1d4j.nativeconfig.DnnlRuntime;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

import java.util.Locale;

/**
 * The error side of the precision table: for every layer of the suite, the signal-to-noise ratio and the largest
 * relative error of bf16 and int8 (2D engine, NWC, int8 calibrated min/max on {@link Workload#calibration()}, other
 * samples of the input's distribution) against the reference engine in float32. The speed side is
 * {@link PrecisionBenchmark}. Usage: {@code PrecisionErrors [S1,S2,...]}.
 */
public final class PrecisionErrors {
    private PrecisionErrors() {
    }

    /**
     * @param args an optional comma-separated list of workload names
     */
    public static void main(String[] args) {
        System.out.println("ISA " + DnnlRuntime.get().effectiveIsa());
        System.out.println("| layer | bf16 SNR | bf16 max rel. error | int8 SNR | int8 max rel. error |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Workload w : Workload.suite()) {
            if (args.length > 0 && !("," + args[0] + ",").contains("," + w.name() + ",")) {
                continue;
            }
            var spec = w.in(Layout.NWC);
            float[] x = w.input();
            float[] ref;
            try (Conv1d r = Conv1d.create(spec, w.weights(), w.bias(), Engine.REFERENCE)) {
                ref = r.forward(x, w.batch(), w.width());
            }
            StringBuilder row = new StringBuilder("| " + w.name());
            for (Conv1dOptions o : new Conv1dOptions[] {Conv1dOptions.defaults().withPrecision(Precision.BF16),
                    Conv1dOptions.defaults().withInt8(Calibration.minMax().of(w.calibration()))}) {
                try (Conv1d op = Conv1d.create(spec, w.weights(), w.bias(), o)) {
                    float[] y = op.forward(x, w.batch(), w.width());
                    row.append(String.format(Locale.ROOT, " | %.1f dB | %.2e", NetCrossCheck.snrDb(ref, y),
                            NetCrossCheck.maxRelativeError(ref, y)));
                }
            }
            System.out.println(row.append(" |"));
        }
    }
}
