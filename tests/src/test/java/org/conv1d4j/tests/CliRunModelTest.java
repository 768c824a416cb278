package org.conv1d4j.tests;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.io.Npy;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.conv1d4j.tests.CliTest.cli;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --model}: every shared network case through the CLI writes what {@link Conv1dNet} computes, in either
 * layout, from a float32 or float64 input; bad models, inputs and options get one line on stderr and exit code 2.
 */
class CliRunModelTest {
    @TempDir
    Path tmp;

    private static Path cases() {
        try {
            return Path.of(CliRunModelTest.class.getResource("/nets/cases").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> good() throws IOException {
        try (Stream<Path> s = Files.list(cases())) {
            return s.filter(p -> !p.getFileName().toString().startsWith("bad_")).sorted().toList();
        }
    }

    private static void assertBadInput(CliTest.Result r, String fragment) {
        assertEquals(2, r.code(), "exit code; stderr: " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        assertTrue(err.contains(fragment), "'" + fragment + "' expected in: " + err);
    }

    private static float[] transpose(float[] a, int n, int rows, int cols) {
        float[] t = new float[a.length];
        for (int b = 0; b < n; b++) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    t[b * rows * cols + j * rows + i] = a[b * rows * cols + i * cols + j];
                }
            }
        }
        return t;
    }

    /** A float64 little-endian C-order {@code .npy}. */
    private static void writeF64(Path file, int[] shape, float[] values) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape[0] + ", " + shape[1] + ", "
                + shape[2] + "), }";
        StringBuilder h = new StringBuilder(dict);
        while ((10 + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length())
                .put(h.toString().getBytes(StandardCharsets.ISO_8859_1));
        for (float v : values) {
            b.putDouble(v);
        }
        Files.write(file, b.array());
    }

    @Test
    void everyCaseOnTheReferenceEngineWritesWhatTheNetComputesInEitherLayout() throws IOException {
        for (Path dir : good()) {
            String name = dir.getFileName().toString();
            Npy.Array x = Npy.read(dir.resolve("input.npy"));
            Npy.Array e = Npy.read(dir.resolve("expected.npy"));
            int[] s = x.shape();
            float[] want;
            try (Conv1dNet net = Conv1dNet.load(dir.resolve("model.onnx"), NetOptions.defaults()
                    .withEngine(Engine.REFERENCE))) {
                want = net.forward(x.data(), s[0], s[2]);
            }
            Path out = tmp.resolve(name + ".npy");
            CliTest.Result r = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                    dir.resolve("input.npy").toString(), "--output", out.toString(), "--engine", "reference");
            assertEquals(0, r.code(), name + ": " + r.err());
            assertTrue(r.out().contains("(N, C_out, OW)"), r.out());
            Npy.Array y = Npy.read(out);
            assertArrayEquals(e.shape(), y.shape(), name);
            assertArrayEquals(want, y.data(), name);

            Path nwcIn = tmp.resolve(name + "-nwc-in.npy");
            Npy.write(nwcIn, new int[] {s[0], s[2], s[1]}, transpose(x.data(), s[0], s[1], s[2]));
            Path nwcOut = tmp.resolve(name + "-nwc.npy");
            r = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input", nwcIn.toString(), "--output",
                    nwcOut.toString(), "--engine", "reference", "--layout", "nwc");
            assertEquals(0, r.code(), name + " NWC: " + r.err());
            Npy.Array yt = Npy.read(nwcOut);
            int[] es = e.shape();
            assertArrayEquals(new int[] {es[0], es[2], es[1]}, yt.shape(), name + " NWC");
            assertArrayEquals(transpose(want, es[0], es[1], es[2]), yt.data(), name + " NWC");
        }
    }

    @Test
    void aFloat64InputIsConverted() throws IOException {
        Path dir = cases().resolve("tcn");
        Npy.Array x = Npy.read(dir.resolve("input.npy"));
        Path f64 = tmp.resolve("x64.npy");
        writeF64(f64, x.shape(), x.data());
        Path a = tmp.resolve("a.npy");
        Path b = tmp.resolve("b.npy");
        assertEquals(0, cli("run", "--model", dir.resolve("model.onnx").toString(), "--input", f64.toString(),
                "--output", a.toString(), "--engine", "reference").code());
        assertEquals(0, cli("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("input.npy").toString(), "--output", b.toString(), "--engine", "reference").code());
        assertArrayEquals(Npy.read(b).data(), Npy.read(a).data());
    }

    /** Every oneDNN engine name writes what the network computes on that engine, bit for bit. */
    @Test
    void aOneDnnEngineWritesWhatTheNetComputes() throws IOException {
        Path dir = cases().resolve("quartznet");
        Npy.Array x = Npy.read(dir.resolve("input.npy"));
        for (String engine : new String[] {"onednn", "onednn-2d", "onednn-1d"}) {
            Path out = tmp.resolve(engine + ".npy");
            CliTest.Result r = cli("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                    dir.resolve("input.npy").toString(), "--output", out.toString(), "--engine", engine);
            assertEquals(0, r.code(), r.err());
            try (Conv1dNet net = Conv1dNet.load(dir.resolve("model.onnx"),
                    NetOptions.defaults().withEngine(Engine.fromCliName(engine)))) {
                assertArrayEquals(net.forward(x.data(), x.shape()[0], x.shape()[2]), Npy.read(out).data(), engine);
            }
        }
    }

    /** {@code check --model}: each oneDNN engine against the reference, exit 0; bad input in one line, exit 2. */
    @Test
    void checkModelPassesEveryCaseOnBothEngines() throws IOException {
        for (Path dir : good()) {
            CliTest.Result r = cli("check", "--model", dir.resolve("model.onnx").toString(), "--input",
                    dir.resolve("input.npy").toString(), "--engine", "onednn,onednn-1d");
            assertEquals(0, r.code(), dir + ": " + r.out() + r.err());
            assertTrue(r.out().contains("PASS") && r.out().contains("all passed"), r.out());
        }
        Path tcn = cases().resolve("tcn");
        assertBadInput(cli("check", "--model", tcn.resolve("model.onnx").toString()), "--input");
        assertBadInput(cli("check", "--model", tcn.resolve("model.onnx").toString(), "--input",
                cases().resolve("quartznet").resolve("input.npy").toString()), "channels");
        assertBadInput(cli("check", "--model", cases().resolve("bad_softmax").resolve("model.onnx").toString(),
                "--input", tcn.resolve("input.npy").toString()), "Softmax");
    }

    /** {@code --precision bf16}: the network in bf16 within its bound (int8: {@code CliPrecisionTest}). */
    @Test
    void bf16NetworksAndOpsRunAndCheckFromTheCli() throws IOException {
        Path dir = cases().resolve("wav2vec_front");
        CliTest.Result r = cli("check", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("input.npy").toString(), "--precision", "bf16");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("bf16") && r.out().contains("PASS"), r.out());
        Path out = tmp.resolve("bf16.npy");
        assertEquals(0, cli("run", "--model", dir.resolve("model.onnx").toString(), "--input",
                dir.resolve("input.npy").toString(), "--output", out.toString(), "--precision", "bf16").code());
        Npy.Array x = Npy.read(dir.resolve("input.npy"));
        try (Conv1dNet net = Conv1dNet.load(dir.resolve("model.onnx"),
                NetOptions.defaults().withPrecision(org.conv1d4j.spec.Precision.BF16))) {
            assertArrayEquals(net.forward(x.data(), x.shape()[0], x.shape()[2]), Npy.read(out).data());
        }
    }

    /** {@code explain --model} on QuartzNet: BatchNorm folded, ReLU and the residual fused, reorders only at the ends. */
    @Test
    void explainModelShowsTheFusedPlan() {
        Path dir = cases().resolve("quartznet");
        CliTest.Result r = cli("explain", "--model", dir.resolve("model.onnx").toString(), "--batch", "2", "--width",
                "77", "--budget", "0.05");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("BatchNormalization, /b1/Add, /b1/Relu"), out);
        assertTrue(out.contains("post-ops sum("), out);
        assertTrue(out.contains(" 2 reorders"), out);
        assertTrue(out.contains("the same convs as separate ops") && out.contains("PASS"), out);
        assertTrue(!out.contains("batch_normalization_forward") && !out.contains("eltwise_forward"), out);
    }

    @Test
    void badModelsInputsAndOptionsGetOneLineAndExitCode2() throws IOException {
        Path tcn = cases().resolve("tcn");
        String model = tcn.resolve("model.onnx").toString();
        String input = tcn.resolve("input.npy").toString();
        String out = tmp.resolve("o.npy").toString();
        assertBadInput(cli("run", "--model", cases().resolve("bad_softmax/model.onnx").toString(), "--input", input,
                "--output", out, "--engine", "reference"), "Softmax");
        Path garbage = tmp.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5, 6, 7});
        assertBadInput(cli("run", "--model", garbage.toString(), "--input", input, "--output", out, "--engine",
                "reference"), "model");
        assertBadInput(cli("run", "--model", tmp.resolve("nope.onnx").toString(), "--input", input, "--output", out,
                "--engine", "reference"), "nope.onnx");
        Path flat = tmp.resolve("flat.npy");
        Npy.write(flat, new int[] {2, 8}, new float[16]);
        assertBadInput(cli("run", "--model", model, "--input", flat.toString(), "--output", out, "--engine",
                "reference"), "input: flat.npy has shape (2, 8); a network takes 3-D (N, C, W)");
        Path five = tmp.resolve("five.npy");
        Npy.write(five, new int[] {1, 5, 7}, new float[35]);
        assertBadInput(cli("run", "--model", model, "--input", five.toString(), "--output", out, "--engine",
                "reference"), "has 5 channels; the model's input 'x' has 8");
        Path nan = tmp.resolve("nan.npy");
        float[] v = new float[8 * 7];
        v[3] = Float.NaN;
        Npy.write(nan, new int[] {1, 8, 7}, v);
        assertBadInput(cli("run", "--model", model, "--input", nan.toString(), "--output", out, "--engine",
                "reference"), "nan.npy: 1 non-finite values");
        assertEquals(0, cli("run", "--model", model, "--input", nan.toString(), "--output", out, "--engine",
                "reference", "--allow-non-finite").code());
        assertBadInput(cli("run", "--model", model, "--output", out), "input: --model needs --input");
        assertBadInput(cli("run", "--model", model, "--input", input, "--output", out, "--layout", "CWN"),
                "layout: unknown 'CWN'");
        assertBadInput(cli("run", "--model", model, "--case", tcn.toString(), "--input", input, "--output", out),
                "mutually exclusive");
        assertBadInput(cli("run", "--case", tcn.toString(), "--input", input, "--output", out),
                "input: --input goes with --model");
        assertBadInput(cli("run", "--model", model, "--input", input, "--output", out, "--engine", "gpu"),
                "engine: unknown 'gpu'");
    }

    @Test
    void theRunnableJarFindsTheOnnxReader() throws Exception {
        Path jar = Path.of(System.getProperty("conv1d4j.cliJar", "../java/cli/target/conv1d4j-cli.jar"));
        assertTrue(Files.exists(jar), "the CLI jar is built before the tests: " + jar);
        Path dir = cases().resolve("textcnn");
        Process p = new ProcessBuilder("java", "-jar", jar.toString(), "run", "--model",
                dir.resolve("model.onnx").toString(), "--input", dir.resolve("input.npy").toString(), "--output",
                tmp.resolve("y.npy").toString(), "--engine", "reference").start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        assertArrayEquals(Npy.read(dir.resolve("expected.npy")).shape(), Npy.read(tmp.resolve("y.npy")).shape());
        try (Conv1dNet net = Conv1dNet.load(dir.resolve("model.onnx"), NetOptions.defaults()
                .withEngine(Engine.REFERENCE).withLayout(Layout.NCW))) {
            Npy.Array x = Npy.read(dir.resolve("input.npy"));
            assertArrayEquals(net.forward(x.data(), x.shape()[0], x.shape()[2]), Npy.read(tmp.resolve("y.npy")).data());
        }
    }
}
