package org.conv1d4j.cli;

import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code check}: oneDNN against the reference (and {@code expected.npy}) for each case, or a network on an input;
 * exit 1 when any fails. In int8 the reference is the int8 oracle (the same integers in Java) and the error against
 * float32 is measured and printed, not judged; in bf16 the bound is bf16's and the float32 error printed too.
 */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run oneDNN and the reference on case folders and compare (and against expected.npy where "
                + "present),", "or a network (--model FILE.onnx --input X.npy) on each oneDNN engine against the "
                + "reference, within the bound NetCrossCheck derives.", "int8 is checked against the int8 oracle (the "
                + "same integers in Java) and its SNR against float32 printed (per layer for a model); in bf16 and "
                + "int8 expected.npy is not judged."})
final class CheckCommand implements Callable<Integer> {
    /** The goldens' criterion: {@code |y - e| <= 1e-4 * (1 + |e|)}. */
    static final double GOLDEN_TOLERANCE = 1e-4;

    @Spec
    CommandSpec command;

    /** What is checked: case folders or a model; exactly one. */
    static final class Source {
        @Option(names = "--case", required = true, arity = "1..*", paramLabel = "DIR", description = "Case folders.")
        List<Path> cases;

        @Option(names = "--model", required = true, paramLabel = "FILE", description = "An ONNX network.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--input", paramLabel = "FILE",
            description = "With --model: the input .npy, 3-D in --layout (float32; float64 and float16 are converted).")
    Path input;

    @Option(names = "--layout", defaultValue = "NCW", paramLabel = "LAYOUT",
            description = "With --model: NCW (the model's, default) or NWC.")
    Layout layout;

    @Option(names = "--engine", defaultValue = "onednn", split = ",", paramLabel = "ENGINE",
            description = "Engines to check against the reference: onednn (or onednn-2d), onednn-1d (comma-separated).")
    List<String> engines;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @Option(names = "--allow-non-finite", description = "Let NaN/Inf in the data propagate instead of rejecting them.")
    boolean allowNonFinite;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        List<Engine> es = engines.stream().map(Engine::fromCliName).toList();
        if (source.model != null) {
            if (input == null) {
                throw new IllegalArgumentException("input: --model needs --input FILE.npy");
            }
            boolean passed = NetCheck.check(out, source.model, input, es, layout, precision, allowNonFinite);
            out.println(passed ? "all passed" : "FAILED");
            return passed ? 0 : Main.FAILED;
        }
        Precision p = precision.precision();
        boolean allPassed = true;
        for (Path dir : source.cases) {
            Conv1dCase c = CaseReader.read(dir);
            Cases.requireFinite(c, allowNonFinite);
            float[] f32 = p == Precision.F32 ? null : float32(c);
            for (Engine e : es) {
                // the reference computes bf16 requests exactly; in int8 it is the int8 oracle
                Conv1dOptions base = Conv1dOptions.defaults().withEngine(e);
                Conv1dOptions options = e == Engine.REFERENCE && p == Precision.BF16 ? base : precision.apply(base);
                try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), options)) {
                    CrossCheck check = CrossCheck.of(op, c.weights(), c.bias());
                    float[] y = op.forward(c.input(), c.batch(), c.width());
                    CrossCheck.Report r = check.compare(y, c.input(), c.batch(), c.width());
                    boolean low = op.options().precision() != Precision.F32;
                    StringBuilder line = new StringBuilder(String.format("%-20s %-10s %s: %s", c.name(), e.cliName(),
                            against(op.options().precision()), r));
                    boolean ok = r.passed();
                    if (f32 != null) {
                        line.append("; vs float32: ").append(Float32Error.of(f32, y));
                    }
                    // expected.npy's tolerance is float32's: in bf16 and int8 the error against float32 is measured
                    if (c.expected() != null && !low) {
                        double worst = worstGoldenRatio(y, c.expected());
                        boolean golden = worst <= 1;
                        ok &= golden;
                        line.append(String.format("; vs expected.npy: the worst error is %.3f of the golden tolerance"
                                + " 1e-4 * (1 + |expected|), %s", worst, golden ? "PASS" : "FAIL"));
                    }
                    out.println(line);
                    allPassed &= ok;
                }
            }
        }
        out.println(allPassed ? "all passed" : "FAILED");
        return allPassed ? 0 : Main.FAILED;
    }

    /**
     * @return {@code vs reference} (f32), {@code bf16 vs reference} (the float reference, bf16's bound) or
     *     {@code int8 vs the int8 oracle} (the same integers in Java, the epilogue's bound)
     */
    private static String against(Precision p) {
        return switch (p) {
            case F32 -> "vs reference";
            case BF16 -> "bf16 vs reference";
            case INT8 -> "int8 vs the int8 oracle";
        };
    }

    /** @return the case's output on the float32 reference, what low precision is measured against */
    private static float[] float32(Conv1dCase c) {
        try (Conv1d reference = Conv1d.create(c.spec(), c.weights(), c.bias(), Engine.REFERENCE)) {
            return reference.forward(c.input(), c.batch(), c.width());
        }
    }

    /** @return {@code max |y - e| / (1e-4 * (1 + |e|))}; at most 1 passes; NaN where the outputs disagree on NaN */
    private static double worstGoldenRatio(float[] y, float[] expected) {
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
            double err = Math.abs((double) y[i] - expected[i]);
            if (Double.isNaN(err)) {
                if (Float.isNaN(y[i]) && Float.isNaN(expected[i])) {
                    continue;
                }
                return Double.NaN;
            }
            worst = Math.max(worst, err / (GOLDEN_TOLERANCE * (1 + Math.abs(expected[i]))));
        }
        return worst;
    }
}
