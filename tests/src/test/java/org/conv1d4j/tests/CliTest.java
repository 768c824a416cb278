package org.conv1d4j.tests;

import org.conv1d4j.cli.Main;
import org.conv1d4j.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI: every verb works, every bad input gets one line on stderr and exit code 2. */
class CliTest {
    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    private Path copyOf(String golden) throws IOException {
        Path dir = tmp.resolve(golden + "-" + System.nanoTime());
        Files.createDirectories(dir);
        try (Stream<Path> s = Files.list(Goldens.root().resolve(golden))) {
            for (Path f : s.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static void assertBadInput(Result r, String fragment) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.contains(fragment), "'" + fragment + "' expected in: " + err);
    }

    @Test
    void runReproducesEveryGoldenWithEveryEngine() throws IOException {
        for (Path dir : Goldens.all()) {
            for (String engine : new String[] {"onednn", "onednn-1d", "reference"}) {
                Path out = tmp.resolve(dir.getFileName() + "-" + engine + ".npy");
                Result r = cli("run", "--case", dir.toString(), "--output", out.toString(), "--engine", engine);
                assertEquals(0, r.code(), r.err());
                Npy.Array y = Npy.read(out);
                Npy.Array e = Npy.read(dir.resolve("expected.npy"));
                assertArrayEquals(e.shape(), y.shape());
                assertTrue(Goldens.worstGoldenRatio(y.data(), e.data()) <= 1, dir + " " + engine);
            }
        }
    }

    @Test
    void checkPassesOnGoldensAndFailsOnAWrongExpectation() throws IOException {
        List<String> args = new ArrayList<>(List.of("check", "--engine", "onednn,onednn-1d", "--case"));
        Goldens.all().forEach(p -> args.add(p.toString()));
        Result ok = cli(args.toArray(String[]::new));
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertTrue(ok.out().contains("all passed"));
        Path dir = copyOf("basic_valid");
        Npy.Array e = Npy.read(dir.resolve("expected.npy"));
        e.data()[0] += 1;
        Npy.write(dir.resolve("expected.npy"), e.shape(), e.data());
        Result bad = cli("check", "--case", dir.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.out().contains("FAIL"));
    }

    @Test
    void explainAndInfo() {
        Result r = cli("explain", "--in-channels", "8", "--out-channels", "8", "--kernel-size", "3", "--groups", "8",
                "--padding", "same", "--width", "64", "--batch", "2", "--budget", "0.05");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2D mapping: convolution_forward"), r.out());
        assertTrue(r.out().contains("PASS"), r.out());
        Result t = cli("explain", "--in-channels", "8", "--out-channels", "4", "--kernel-size", "4", "--transposed",
                "--stride", "2", "--padding", "same", "--budget", "0.05");
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("deconvolution_forward"), t.out());
        Result i = cli("info");
        assertEquals(0, i.code());
        assertTrue(i.out().contains("oneDNN") && i.out().contains("ISA"), i.out());
    }

    @Test
    void benchTimesOursAndRawOneDnnAndRejectsBadOptions() {
        Result r = cli("bench", "--only", "S1,tcn-k2-d1", "--budget", "0.05");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("peak: oneDNN f32 matmul") && r.out().contains("tcn-k2-d1"), r.out());
        assertBadInput(cli("bench", "--only", "S9"), "workload");
        assertBadInput(cli("bench", "--budget", "0"), "--budget");
    }

    @Test
    void badCaseJson() throws IOException {
        Path d = copyOf("basic_valid");
        Files.writeString(d.resolve("case.json"), "{\"op\": \"conv1d\", ");
        assertBadInput(run(d), "not valid JSON");
        Files.writeString(d.resolve("case.json"), "{\"op\":\"conv1d\",\"in_channels\":4,\"out_channels\":6,\"kernel_size\":3,\"colour\":1}");
        assertBadInput(run(d), "unknown key 'colour'");
        Files.writeString(d.resolve("case.json"), "{\"in_channels\":4,\"out_channels\":6,\"kernel_size\":3,\"activation\":\"relu7\"}");
        assertBadInput(run(d), "activation: unknown 'relu7'");
        Files.writeString(d.resolve("case.json"), "{\"in_channels\":4,\"out_channels\":6,\"kernel_size\":3,\"groups\":4}");
        assertBadInput(run(d), "groups");
        Files.writeString(d.resolve("case.json"), "{\"in_channels\":4,\"out_channels\":6,\"kernel_size\":300}");
        assertBadInput(run(d), "width");
        Files.writeString(d.resolve("case.json"), "[1, 2]");
        assertBadInput(run(d), "JSON object");
        Files.writeString(d.resolve("case.json"), "{\"in_channels\":4.5,\"out_channels\":6,\"kernel_size\":3}");
        assertBadInput(run(d), "in_channels must be an integer");
    }

    @Test
    void badNpyFiles() throws IOException {
        Path d = copyOf("basic_valid");
        byte[] good = Files.readAllBytes(d.resolve("input.npy"));
        Files.write(d.resolve("input.npy"), java.util.Arrays.copyOf(good, good.length - 7));
        assertBadInput(run(d), "truncated");
        Files.writeString(d.resolve("input.npy"), "this is not numpy");
        assertBadInput(run(d), "not a .npy file");
        Files.write(d.resolve("input.npy"), header("{'descr': '<f4', 'fortran_order': False, 'shape': (1024, 1024, 1048576), }", 16));
        assertBadInput(run(d), "input.npy");
        Files.write(d.resolve("input.npy"), header("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 4, 2), }", 64));
        assertBadInput(run(d), "dtype '<i4' is not supported");
        Files.copy(Goldens.root().resolve("basic_valid/weight.npy"), d.resolve("input.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertBadInput(run(d), "expected.npy: expected shape"); // (6, 4, 3) is a valid input: N=6, W=3
        Files.copy(Goldens.root().resolve("basic_valid/bias.npy"), d.resolve("input.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertBadInput(run(d), "input.npy: expected 3 dims");
        Files.copy(Goldens.root().resolve("basic_valid/input.npy"), d.resolve("input.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Goldens.root().resolve("basic_valid/bias.npy"), d.resolve("weight.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertBadInput(run(d), "weight.npy: expected shape");
        Files.delete(d.resolve("bias.npy"));
        Files.copy(Goldens.root().resolve("basic_valid/weight.npy"), d.resolve("weight.npy"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertBadInput(run(d), "bias.npy: missing");
        assertBadInput(cli("run", "--case", tmp.resolve("nope").toString(), "--output", tmp.resolve("o.npy").toString()), "nope");
        assertBadInput(cli("run", "--case", d.toString(), "--output", tmp.resolve("o.npy").toString(), "--engine", "gpu"), "engine: unknown 'gpu'");
        assertBadInput(cli("run", "--case"), "Missing");
        assertBadInput(cli("frobnicate"), "Unmatched");
    }

    @Test
    void nonFiniteDataIsRejectedUnlessAllowedThenPropagates() throws IOException {
        Path d = copyOf("basic_valid");
        Npy.Array x = Npy.read(d.resolve("input.npy"));
        x.data()[0] = Float.NaN;
        Npy.write(d.resolve("input.npy"), x.shape(), x.data());
        assertBadInput(run(d), "non-finite");
        Path out = tmp.resolve("nan.npy");
        Result r = cli("run", "--case", d.toString(), "--output", out.toString(), "--allow-non-finite");
        assertEquals(0, r.code(), r.err());
        float[] y = Npy.read(out).data();
        assertTrue(Float.isNaN(y[0]), "NaN at input 0 reaches output 0");
        assertFalse(Float.isNaN(y[y.length - 1]), "and only the outputs that read it");
    }

    @Test
    void otherFloatEncodingsAreConverted() throws IOException {
        Path d = copyOf("basic_valid");
        Npy.Array x = Npy.read(d.resolve("input.npy"));
        Path reference = tmp.resolve("ref.npy");
        assertEquals(0, cli("run", "--case", d.toString(), "--output", reference.toString()).code());
        float[] expected = Npy.read(reference).data();
        for (String variant : new String[] {"<f8", ">f4", ">f8", "fortran"}) {
            Files.write(d.resolve("input.npy"), encode(x, variant));
            Path out = tmp.resolve(variant.replace('<', 'l').replace('>', 'b') + ".npy");
            Result r = cli("run", "--case", d.toString(), "--output", out.toString());
            assertEquals(0, r.code(), variant + ": " + r.err());
            assertArrayEquals(expected, Npy.read(out).data(), variant);
        }
    }

    @Test
    void runnableJarGivesOneLineAndExitCode2WithoutCrashing() throws Exception {
        Path jar = Path.of(System.getProperty("conv1d4j.cliJar", "../java/cli/target/conv1d4j-cli.jar"));
        assertTrue(Files.exists(jar), "the CLI jar is built before the tests: " + jar);
        Path d = copyOf("basic_valid");
        Files.writeString(d.resolve("case.json"), "{broken");
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "run", "--case", d.toString(), "--output",
                tmp.resolve("o.npy").toString()).directory(tmp.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(2, p.exitValue(), err);
        assertFalse(err.contains("\n"), err);
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")), "no JVM crash file");
        }
        Process ok = new ProcessBuilder("java", "-jar", jar.toString(), "run", "--case",
                Goldens.root().resolve("depthwise").toString(), "--output", tmp.resolve("dw.npy").toString()).start();
        assertTrue(ok.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, ok.exitValue(), new String(ok.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void missingNativesNameTheClassifierAndLeaveTheReferenceEngineWorking() throws Exception {
        // JavaCPP looks for natives of the platform it is told: the jar carries linux-x86_64 only
        Path jar = Path.of(System.getProperty("conv1d4j.cliJar", "../java/cli/target/conv1d4j-cli.jar"));
        String depthwise = Goldens.root().resolve("depthwise").toString();
        Process missing = new ProcessBuilder("java", "-Dorg.bytedeco.javacpp.platform=linux-arm64", "-jar",
                jar.toString(), "run", "--case", depthwise, "--output", tmp.resolve("a.npy").toString())
                .directory(tmp.toFile()).start();
        assertTrue(missing.waitFor(2, TimeUnit.MINUTES));
        String err = new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(1, missing.exitValue(), err);
        assertFalse(err.contains("\n"), err);
        assertTrue(err.contains("'linux-arm64'") && err.contains("org.bytedeco:dnnl:3.11-1.5.13:linux-arm64"), err);
        Process reference = new ProcessBuilder("java", "-Dorg.bytedeco.javacpp.platform=linux-arm64", "-jar",
                jar.toString(), "run", "--engine", "reference", "--case", depthwise, "--output",
                tmp.resolve("b.npy").toString()).directory(tmp.toFile()).start();
        assertTrue(reference.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, reference.exitValue(), new String(reference.getErrorStream().readAllBytes(),
                StandardCharsets.UTF_8));
        try (Stream<Path> s = Files.list(tmp)) {
            assertFalse(s.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")), "no JVM crash file");
        }
    }

    private Result run(Path dir) {
        return cli("run", "--case", dir.toString(), "--output", tmp.resolve("out.npy").toString());
    }

    private static byte[] header(String dict, int dataBytes) {
        String padded = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + padded.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    /** Writes {@code a} as float64 or big-endian or Fortran order, independently of the reader. */
    private static byte[] encode(Npy.Array a, String variant) {
        boolean fortran = variant.equals("fortran");
        String descr = fortran ? "<f4" : variant;
        int item = descr.endsWith("8") ? 8 : 4;
        StringBuilder shape = new StringBuilder();
        for (int d : a.shape()) {
            shape.append(d).append(", ");
        }
        byte[] head = header("{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape.substring(0, shape.length() - 1) + "), }", a.data().length * item);
        ByteBuffer b = ByteBuffer.wrap(head).order(descr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.position(head.length - a.data().length * item);
        int[] s = a.shape();
        for (int f = 0; f < a.data().length; f++) {
            int c = f;
            if (fortran) { // Fortran index f -> (i0, i1, i2) with i0 fastest -> C index
                int i0 = f % s[0];
                int i1 = (f / s[0]) % s[1];
                int i2 = f / (s[0] * s[1]);
                c = (i0 * s[1] + i1) * s[2] + i2;
            }
            if (item == 8) {
                b.putDouble(a.data()[c]);
            } else {
                b.putFloat(a.data()[c]);
            }
        }
        return b.array();
    }
}
