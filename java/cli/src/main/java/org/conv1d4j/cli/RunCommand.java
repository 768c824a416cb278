package org.conv1d4j.cli;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.io.Npy;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;

/**
 * {@code run}: one case folder, or an ONNX network on an input {@code .npy}, through one engine; the output written as
 * float32 {@code .npy}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Run a case folder (case.json, input.npy, weight.npy, bias.npy), or an ONNX network on an input "
                + ".npy, and write the output .npy."})
final class RunCommand implements Callable<Integer> {
    /** What runs: a case folder or a model; exactly one. */
    static final class Source {
        @Option(names = "--case", required = true, paramLabel = "DIR", description = "The case folder.")
        Path caseDir;

        @Option(names = "--model", required = true, paramLabel = "FILE",
                description = "An ONNX Conv1D network; its input is --input.")
        Path model;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--input", paramLabel = "FILE",
            description = "With --model: the input .npy, 3-D in --layout (float32; float64 and float16 are converted).")
    Path input;

    @Option(names = "--layout", paramLabel = "LAYOUT",
            description = "With --model: NCW (the model's, default) or NWC, for the input and the output.")
    String layout;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the output (float32 .npy, in the input's layout).")
    Path output;

    @Option(names = "--engine", defaultValue = "onednn", paramLabel = "ENGINE",
            description = "onednn (or onednn-2d: the 2D mapping, default), onednn-1d or reference.")
    String engine;

    @Mixin
    PrecisionOptions precision = new PrecisionOptions();

    @Option(names = "--allow-non-finite", description = "Let NaN/Inf in the data propagate instead of rejecting them.")
    boolean allowNonFinite;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        Engine e = Engine.fromCliName(engine);
        if (source.model != null) {
            return runModel(out, e);
        }
        if (input != null || layout != null) {
            throw new IllegalArgumentException((input != null ? "input: --input" : "layout: --layout")
                    + " goes with --model; a case folder holds its input and layout");
        }
        Conv1dCase c = CaseReader.read(source.caseDir);
        Cases.requireFinite(c, allowNonFinite);
        // on the reference engine int8 is the int8 oracle (the same integers in Java); bf16 and f32 are exact there
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(),
                precision.apply(Conv1dOptions.defaults().withEngine(e)))) {
            Npy.write(output, c.outputShape(), op.forward(c.input(), c.batch(), c.width()));
        }
        out.printf("wrote output %s %s, float32, to %s%n", c.spec().layout() == Layout.NCW ? "(N, C_out, OW)"
                : "(N, OW, C_out)", shape(c.outputShape()), output);
        return 0;
    }

    private int runModel(PrintWriter out, Engine e) throws IOException {
        if (input == null) {
            throw new IllegalArgumentException("input: --model needs --input FILE.npy");
        }
        Layout l = parseLayout(layout);
        int[] shape = NetRun.run(source.model, input, output, e, l, precision, allowNonFinite);
        out.printf("wrote output %s %s, float32, to %s%n", l == Layout.NCW ? "(N, C_out, OW)" : "(N, OW, C_out)",
                shape(shape), output);
        return 0;
    }

    private static Layout parseLayout(String name) {
        if (name == null) {
            return Layout.NCW;
        }
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "NCW" -> Layout.NCW;
            case "NWC" -> Layout.NWC;
            default -> throw new IllegalArgumentException("layout: unknown '" + name + "' (expected NCW or NWC)");
        };
    }

    private static String shape(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
