package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetCalibration;
import org.conv1d4j.NetOptions;
import org.conv1d4j.cli.CaseReader;
import org.conv1d4j.cli.Conv1dCase;
import org.conv1d4j.io.Npy;
import org.conv1d4j.spec.Calibration;
import org.conv1d4j.spec.Conv1dOptions;
import org.conv1d4j.spec.Engine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.conv1d4j.tests.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --precision int8} (and bf16) from the command line (issue 13 item 5): {@code run} writes what the API computes
 * with the calibration the file gives, {@code check} judges int8 against the int8 oracle and prints the SNR against
 * float32 (per layer for a model), {@code explain} prints the quantization, the weights' levels and the kernel,
 * {@code bench --precision all} puts the precisions side by side with the ISA, {@code info} names each precision's
 * kernel; every misuse of the options is one line and exit code 2.
 */
class CliPrecisionTest {
    @TempDir
    Path tmp;

    private static Path netCase(String name) {
        try {
            return Path.of(CliPrecisionTest.class.getResource("/nets/cases/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertBadInput(CliTest.Result r, String fragment) {
        assertEquals(2, r.code(), "exit code; stdout: " + r.out() + " stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.contains(fragment), "'" + fragment + "' expected in: " + err);
    }

    /** A golden case (C 4 -> 6, K 3, stride 3, W 20), calibrated on its own input file. */
    @Test
    void int8OpRunWritesWhatTheApiComputesAndCheckJudgesItAgainstTheOracle() throws IOException {
        Path dir = Goldens.root().resolve("stride3");
        Conv1dCase c = CaseReader.read(dir);
        Path cal = dir.resolve("input.npy");
        for (String method : new String[] {"minmax", "percentile:99"}) {
            Calibration calibration = method.equals("minmax") ? Calibration.minMax() : Calibration.percentile(99);
            Conv1dOptions int8 = Conv1dOptions.defaults().withInt8(calibration.of(c.input()));
            for (Engine e : new Engine[] {Engine.ONEDNN_2D, Engine.ONEDNN_1D, Engine.REFERENCE}) {
                Path out = tmp.resolve(method.replace(':', '_') + e + ".npy");
                CliTest.Result r = cli("run", "--case", dir.toString(), "--output", out.toString(), "--engine",
                        e.cliName(), "--precision", "int8", "--calibration", cal.toString(), "--calibration-method",
                        method);
                assertEquals(0, r.code(), r.err());
                try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), int8.withEngine(e))) {
                    assertArrayEquals(op.forward(c.input(), c.batch(), c.width()), Npy.read(out).data(),
                            method + " on " + e + ": what the API computes with the file's calibration");
                }
            }
        }
        CliTest.Result r = cli("check", "--case", dir.toString(), "--engine", "onednn,onednn-1d", "--precision", "int8",
                "--calibration", cal.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(3, lines.size(), r.out());
        for (String line : lines.subList(0, 2)) {
            assertTrue(line.contains("int8 vs the int8 oracle: ") && line.contains("PASS"), line);
            assertTrue(line.contains("; vs float32: SNR ") && line.contains(" dB, max relative error "), line);
            assertFalse(line.contains("golden tolerance"), "int8 is not judged by float32's: " + line);
        }
        assertEquals("all passed", lines.get(2));
    }

    @Test
    void int8OpExplainPrintsTheQuantizationTheLevelsAndTheKernel() {
        Path cal = Goldens.root().resolve("stride3").resolve("input.npy");
        CliTest.Result r = cli("explain", "--in-channels", "5", "--out-channels", "7", "--kernel-size", "3",
                "--width", "61", "--budget", "0.02", "--precision", "int8", "--calibration", cal.toString());
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("precision int8: native on ") || out.contains("precision int8: emulated on "), out);
        assertTrue(out.contains("input  u8 per tensor: scale ") && out.contains(", zero point ")
                && out.contains("(min/max of ") && out.contains(" samples in input.npy)"), out);
        assertTrue(out.contains("weights s8 per output channel, levels -127..127 (VNNI)")
                || out.contains("weights s8 per output channel, levels -63..63 (no VNNI"), out);
        assertTrue(out.contains("2D mapping: convolution_forward, impl "), out);
        assertTrue(out.contains("(quantized to u8 per call)"), "the input's reorder quantizes: " + out);
        assertTrue(out.contains("oneDNN 2D in f32"), out);
        assertTrue(out.contains("cross-check on N=1 against the int8 oracle") && out.contains("PASS"), out);
        assertTrue(out.contains("int8 against float32 (the reference, same N=1): SNR "), out);

        CliTest.Result bf16 = cli("explain", "--in-channels", "3", "--out-channels", "2", "--kernel-size", "1",
                "--width", "13", "--budget", "0.02", "--precision", "bf16");
        assertEquals(0, bf16.code(), bf16.err());
        assertTrue(bf16.out().contains("against the reference (bf16's bound") && bf16.out().contains("PASS"),
                bf16.out());
    }

    /** A shared network case, calibrated on its calibration.npy (other samples of the input's distribution). */
    @Test
    void int8ModelRunsChecksAndExplainsPerLayer() throws IOException {
        Path dir = netCase("tcn");
        String model = dir.resolve("model.onnx").toString();
        String input = dir.resolve("input.npy").toString();
        String cal = dir.resolve("calibration.npy").toString();
        Path out = tmp.resolve("y.npy");
        CliTest.Result run = cli("run", "--model", model, "--input", input, "--output", out.toString(), "--precision",
                "int8", "--calibration", cal);
        assertEquals(0, run.code(), run.err());
        Npy.Array x = Npy.read(dir.resolve("input.npy"));
        Npy.Array s = Npy.read(dir.resolve("calibration.npy"));
        try (Conv1dNet net = Conv1dNet.load(dir.resolve("model.onnx"), NetOptions.defaults()
                .withInt8(NetCalibration.of(s.data(), s.shape()[0], s.shape()[2])))) {
            assertArrayEquals(net.forward(x.data(), x.shape()[0], x.shape()[2]), Npy.read(out).data());
        }

        // the per-conv choice is timed, so which convs stay float32 is the CPU's business: it runs and checks
        Path chosen = tmp.resolve("chosen.npy");
        CliTest.Result choice = cli("run", "--model", model, "--input", input, "--output", chosen.toString(),
                "--precision", "int8", "--calibration", cal, "--layer-choice", "0.05");
        assertEquals(0, choice.code(), choice.err());
        assertEquals(Npy.read(out).data().length, Npy.read(chosen).data().length);
        CliTest.Result checkChoice = cli("check", "--model", model, "--input", input, "--precision", "int8",
                "--calibration", cal, "--layer-choice", "0.05");
        assertEquals(0, checkChoice.code(), checkChoice.out() + checkChoice.err());

        CliTest.Result check = cli("check", "--model", model, "--input", input, "--engine", "onednn,onednn-1d",
                "--precision", "int8", "--calibration", cal);
        assertEquals(0, check.code(), check.out() + check.err());
        String c = check.out();
        assertTrue(c.contains("onednn     NCW int8 N=2 W=64 vs the int8 oracle: ") && c.contains("onednn-1d"), c);
        assertTrue(c.contains("; vs float32: SNR "), c);
        assertEquals(1, c.split("int8 against float32 per layer", -1).length - 1, "the layer table once: " + c);
        assertTrue(c.contains("/blocks/blocks.0/down/Conv") && c.lines().anyMatch(l -> l.strip().startsWith("y ")),
                "every layer, the output last: " + c);
        assertTrue(c.strip().endsWith("all passed"), c);

        CliTest.Result explain = cli("explain", "--model", model, "--batch", "2", "--width", "37", "--budget", "0.02",
                "--precision", "int8", "--calibration", cal);
        assertEquals(0, explain.code(), explain.err());
        String e = explain.out();
        assertTrue(e.contains("every conv's input u8 per tensor, calibrated min/max on 4 samples of width 64 in "
                + "calibration.npy"), e);
        assertTrue(e.contains("(quantized: scale ") && e.contains("int8 (u8 scale "), "the plan's quantization: " + e);
        assertTrue(e.contains("network, oneDNN 2D, f32"), e);
        assertTrue(e.contains("cross-check against the int8 oracle: ") && e.contains("PASS"), e);
        assertTrue(e.contains("int8 against float32 (the reference) on this input: SNR "), e);
        assertTrue(e.contains("int8 against float32 per layer"), e);
    }

    @Test
    void benchPutsThePrecisionsSideBySideWithTheIsa() {
        CliTest.Result all = cli("bench", "--only", "S1", "--budget", "0.03", "--precision", "all");
        assertEquals(0, all.code(), all.err());
        String out = all.out();
        assertTrue(out.startsWith("precisions on oneDNN ") && out.contains(", ISA "), out);
        assertTrue(out.contains("f32 ms") && out.contains("bf16 ms") && out.contains("int8 ms")
                && out.contains("x f32") && out.contains("SNR dB"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("S1 ")), out);
        assertTrue(out.contains("kernels oneDNN picked:") && out.contains("int8 "), out);
        CliTest.Result one = cli("bench", "--only", "S1", "--budget", "0.03", "--precision", "int8");
        assertEquals(0, one.code(), one.err());
        assertTrue(one.out().contains("int8 ms") && !one.out().contains("bf16 ms") && !one.out().contains("x f32"),
                one.out());
        CliTest.Result f32 = cli("bench", "--only", "S1", "--budget", "0.03");
        assertEquals(0, f32.code(), f32.err());
        assertTrue(f32.out().startsWith("peak: oneDNN f32 matmul"), "f32 keeps its format: " + f32.out());
    }

    @Test
    void infoNamesEachPrecisionsKernel() {
        CliTest.Result r = cli("info");
        assertEquals(0, r.code(), r.err());
        for (String p : new String[] {"f32 ", "bf16 ", "int8 "}) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(p) && l.contains("; kernel ")), p + ": " + r.out());
        }
        assertTrue(r.out().contains("conv 64 -> 64, K 3, N 1, W 128"), r.out());
    }

    /**
     * With the ISA capped below VNNI (the cap only lowers it, so this holds on any x86 CPU), int8 is said to run
     * without VNNI, the weights get 7 bits, and the library's one warning says so instead of "slower than f32".
     */
    @Test
    void withoutVnniInt8SaysWhatItDoes() throws Exception {
        Path jar = Path.of(System.getProperty("conv1d4j.cliJar", "../java/cli/target/conv1d4j-cli.jar"));
        String info = runJar(jar, "info");
        assertTrue(info.lines().anyMatch(l -> l.startsWith("int8 ") && l.contains(" emulated on ")
                && l.contains("(no VNNI: pairwise 16-bit sums, 7-bit weights); kernel ")), info);
        assertFalse(info.contains("WARNING"), "info states it in its own words: " + info);
        String explain = runJar(jar, "explain", "--in-channels", "4", "--out-channels", "3", "--kernel-size", "2",
                "--width", "31", "--budget", "0.02", "--precision", "int8", "--calibration",
                Goldens.root().resolve("stride3").resolve("input.npy").toString());
        assertTrue(explain.contains("levels -63..63 (no VNNI"), explain);
        assertEquals(1, explain.split("INT8 runs without VNNI", -1).length - 1, "one warning: " + explain);
        assertFalse(explain.contains("slower than F32"), explain);
    }

    private String runJar(Path jar, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("java", "-Dconv1d4j.maxIsa=avx512_core", "-jar", jar.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void misusedPrecisionOptionsGetOneLineAndExitCode2() throws IOException {
        Path golden = Goldens.root().resolve("stride3");
        String out = tmp.resolve("o.npy").toString();
        String cal = golden.resolve("input.npy").toString();
        String[] run = {"run", "--case", golden.toString(), "--output", out};
        assertBadInput(cli(with(run, "--precision", "int8")), "--precision int8 needs --calibration FILE.npy");
        assertBadInput(cli(with(run, "--calibration", cal)), "--calibration goes with --precision int8, not f32");
        assertBadInput(cli(with(run, "--precision", "bf16", "--calibration-method", "minmax")),
                "--calibration-method goes with --precision int8, not bf16");
        assertBadInput(cli(with(run, "--precision", "fp8")), "precision: unknown 'fp8' (expected f32, bf16 or int8)");
        assertBadInput(cli(with(run, "--layer-choice", "0.05")), "--layer-choice goes with --precision int8, not f32");
        assertBadInput(cli(with(run, "--precision", "int8", "--calibration", cal, "--layer-choice", "0.05")),
                "layer-choice: chooses per conv of a network");
        for (String method : new String[] {"median", "percentile:40", "percentile:x", "percentile:"}) {
            assertBadInput(cli(with(run, "--precision", "int8", "--calibration", cal, "--calibration-method", method)),
                    "calibration-method: unknown '" + method + "'");
        }
        Path nan = tmp.resolve("nan.npy");
        float[] v = new float[11];
        v[5] = Float.NaN;
        Npy.write(nan, new int[] {11}, v);
        assertBadInput(cli(with(run, "--precision", "int8", "--calibration", nan.toString())),
                "calibration: nan.npy holds 1 non-finite values (the first, at flat index 5, is NaN)");
        assertBadInput(cli(with(run, "--precision", "int8", "--calibration", tmp.resolve("none.npy").toString())),
                "none.npy");
        assertBadInput(cli("check", "--case", golden.toString(), "--precision", "int8"), "needs --calibration");
        assertBadInput(cli("explain", "--in-channels", "2", "--out-channels", "2", "--kernel-size", "1",
                "--precision", "int8"), "needs --calibration");

        Path tcn = netCase("tcn");
        String model = tcn.resolve("model.onnx").toString();
        String input = tcn.resolve("input.npy").toString();
        assertBadInput(cli("check", "--model", model, "--input", input, "--precision", "int8"), "needs --calibration");
        assertBadInput(cli("explain", "--model", model, "--precision", "int8", "--calibration", cal),
                "samples: the network takes 8 channels");
        assertBadInput(cli("run", "--model", model, "--input", input, "--output", out, "--precision", "int8",
                "--calibration", netCase("quartznet").resolve("calibration.npy").toString()),
                "the network takes 8 channels");
        Path flat = tmp.resolve("flat.npy");
        Npy.write(flat, new int[] {64}, new float[64]);
        assertBadInput(cli("run", "--model", model, "--input", input, "--output", out, "--precision", "int8",
                "--calibration", flat.toString()), "calibration: flat.npy has shape (64)");
        assertBadInput(cli("bench", "--precision", "fp8"), "precision: unknown 'fp8' (expected f32, bf16, int8 or all)");
        assertBadInput(cli("bench", "--precision", "int8", "--variable-widths"), "--variable-widths times f32 only");
        assertFalse(Files.exists(Path.of(out)), "nothing written on bad input");
    }

    private static String[] with(String[] base, String... more) {
        String[] a = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, a, base.length, more.length);
        return a;
    }
}
