package org.conv1d4j.cli;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;

/** {@code run}: one case folder through one engine, the output written as float32 {@code .npy}. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Run a case folder (case.json, input.npy, weight.npy, bias.npy) and write the output .npy.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--case", required = true, paramLabel = "DIR", description = "The case folder.")
    Path caseDir;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the output (float32 .npy, in the input's layout).")
    Path output;

    @Option(names = "--engine", defaultValue = "onednn", paramLabel = "ENGINE",
            description = "onednn (or onednn-2d: the 2D mapping, default), onednn-1d or reference.")
    String engine;

    @Option(names = "--allow-non-finite", description = "Let NaN/Inf in the data propagate instead of rejecting them.")
    boolean allowNonFinite;

    @Spec
    CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        Engine e = Engine.fromCliName(engine);
        Conv1dCase c = CaseReader.read(caseDir);
        Cases.requireFinite(c, allowNonFinite);
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), e)) {
            Npy.write(output, c.outputShape(), op.forward(c.input(), c.batch(), c.width()));
        }
        out.printf("wrote output %s %s, float32, to %s%n", c.spec().layout() == Layout.NCW ? "(N, C_out, OW)"
                : "(N, OW, C_out)", shape(c.outputShape()), output);
        return 0;
    }

    private static String shape(int[] dims) {
        return Arrays.stream(dims).mapToObj(Integer::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
