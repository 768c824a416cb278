package org.conv1d4j.cli;

import java.io.OutputStreamWriter;
import java.nio.charset.Charset;
import org.conv1d4j.nativeconfig.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * The {@code conv1d4j} command line. Exit codes: 0 success, 1 a check that failed (or an internal error),
 * 2 bad input or usage. Errors are one line on standard error; {@code --verbose} adds the stack trace.
 */
@Command(name = "conv1d4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Conv1D on oneDNN through the 2D (N, C, 1, W) mapping, checked against a pure-Java reference.",
        subcommands = {ExplainCommand.class, BenchCommand.class, RunCommand.class, CheckCommand.class, InfoCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code of a check that failed. */
    static final int FAILED = 1;
    /** Exit code of bad input or usage. */
    static final int BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces with errors.")
    boolean verbose;

    /**
     * Runs the CLI and exits with its code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        // the console's encoding is the platform's: say so rather than rely on it silently
        Charset console = Charset.defaultCharset();
        System.exit(execute(args, new PrintWriter(new OutputStreamWriter(System.out, console), true),
                new PrintWriter(new OutputStreamWriter(System.err, console), true)));
    }

    /**
     * Runs the CLI.
     *
     * @param args the arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
        cl.getSubcommands().get("explain").getCommandSpec().usageMessage().footer("%nBuilt-in set (no spec given):%n"
                + Demo.describeBuiltIn());
        cl.getSubcommands().get("bench").getCommandSpec().usageMessage().footer("%nThe suite (NWC by default):%n"
                + BenchCommand.describeSuite());
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("conv1d4j: " + firstLine(ex.getMessage()) + " (see conv1d4j help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean bad = ex instanceof IllegalArgumentException || ex instanceof IOException
                    || ex instanceof UncheckedIOException;
            String msg = ex instanceof NoSuchFileException ? "no such file: " + ex.getMessage()
                    : ex instanceof UncheckedIOException u ? String.valueOf(u.getCause().getMessage())
                    : String.valueOf(ex.getMessage());
            err.println("conv1d4j: " + (bad ? "" : "error: ") + firstLine(msg));
            if (main.verbose) {
                ex.printStackTrace(err);
            }
            return bad ? BAD_INPUT : FAILED;
        });
        return cl.execute(args);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The version line. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"conv1d4j " + Versions.CONV1D4J + " (oneDNN presets " + Versions.DNNL + ", JavaCPP "
                    + Versions.JAVACPP + ", natives " + Versions.PLATFORM + ")"};
        }
    }
}
