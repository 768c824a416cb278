package org.conv1d4j.cli;

import org.conv1d4j.Conv1d;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.cli.CaseReader;
import org.conv1d4j.cli.Conv1dCase;
import org.conv1d4j.io.Npy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code run}: one case folder through one engine, the output written as float32 {@code .npy}. */
@Command(name = "run", description = "Run a case folder (case.json, input.npy, weight.npy, bias.npy) and write the output .npy.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--case", required = true, paramLabel = "DIR", description = "The case folder.")
    Path caseDir;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write the output (float32 .npy, in the input's layout).")
    Path output;

    @Option(names = "--engine", defaultValue = "onednn", paramLabel = "ENGINE",
            description = "onednn (2D mapping, default), onednn-1d or reference.")
    String engine;

    @Option(names = "--allow-non-finite", description = "Let NaN/Inf in the data propagate instead of rejecting them.")
    boolean allowNonFinite;

    @Override
    public Integer call() throws Exception {
        Engine e = Engine.fromCliName(engine);
        Conv1dCase c = CaseReader.read(caseDir);
        Cases.requireFinite(c, allowNonFinite);
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), e)) {
            Npy.write(output, c.outputShape(), op.forward(c.input(), c.batch(), c.width()));
        }
        return 0;
    }
}
