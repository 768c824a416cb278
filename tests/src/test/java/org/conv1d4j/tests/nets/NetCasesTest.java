package org.conv1d4j.tests.nets;

import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.Npy;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shared network case (exported from PyTorch, expected output in float64) on the reference engine, within the
 * bound {@link ErrorBound} derives from the network's depth, gains and magnitudes; the {@code bad_*} cases refused
 * by name.
 */
class NetCasesTest {
    static List<String> good() {
        return NetCases.names(false);
    }

    static List<String> bad() {
        return NetCases.names(true);
    }

    @ParameterizedTest
    @MethodSource("good")
    void matchesTheFloat64OutputWithinTheDerivedBound(String name) throws IOException {
        Npy.Array x = Npy.read(NetCases.file(name, "input.npy"));
        Npy.Array e = Npy.read(NetCases.file(name, "expected.npy"));
        int batch = x.shape()[0];
        int width = x.shape()[2];
        try (Conv1dNet net = Conv1dNet.load(NetCases.file(name, "model.onnx"))) {
            assertArrayEquals(e.shape(), net.outputShape(batch, width), name + ": output shape");
            float[] y = net.forward(x.data(), batch, width);
            double err = 0;
            for (int i = 0; i < y.length; i++) {
                err = Math.max(err, Math.abs((double) y[i] - e.data()[i]) / (1 + Math.abs(e.data()[i])));
            }
            double bound = ErrorBound.of(net.graph(), x.data(), batch, width);
            System.out.printf("net case %-14s nodes %3d  max|y-e|/(1+|e|) = %.3e  bound %.3e%n", name,
                    net.graph().nodes().size(), err, bound);
            assertTrue(err <= bound, name + ": error " + err + " exceeds the bound " + bound);
        }
    }

    @ParameterizedTest
    @MethodSource("good")
    void nwcIsTheTransposeOfNcw(String name) throws IOException {
        Npy.Array x = Npy.read(NetCases.file(name, "input.npy"));
        int n = x.shape()[0];
        int c = x.shape()[1];
        int w = x.shape()[2];
        byte[] model = Files.readAllBytes(NetCases.file(name, "model.onnx"));
        try (Conv1dNet ncw = Conv1dNet.load(model);
                Conv1dNet nwc = Conv1dNet.load(model, NetOptions.defaults().withLayout(Layout.NWC))) {
            float[] y = ncw.forward(x.data(), n, w);
            int[] s = ncw.outputShape(n, w);
            float[] yt = nwc.forward(transpose(x.data(), n, c, w), n, w);
            assertArrayEquals(new int[] {s[0], s[2], s[1]}, nwc.outputShape(n, w));
            assertArrayEquals(transpose(y, s[0], s[1], s[2]), yt, name);
        }
    }

    @ParameterizedTest
    @MethodSource("bad")
    void badCasesAreRefusedByName(String name) throws IOException {
        assertEquals("error", Files.readString(NetCases.file(name, "expect")).trim());
        try (InputStream in = Files.newInputStream(NetCases.file(name, "model.onnx"))) {
            InvalidInputException ex = assertThrows(InvalidInputException.class, () -> Conv1dNet.load(in));
            System.out.println("net case " + name + ": " + ex.getMessage());
            assertTrue(ex.getMessage().startsWith("node '"), ex.getMessage());
            if (name.equals("bad_softmax")) {
                assertTrue(ex.getMessage().contains("(Softmax)") && ex.getMessage().contains("not supported"),
                        ex.getMessage());
            }
        }
    }

    static float[] transpose(float[] src, int n, int a, int b) {
        float[] dst = new float[src.length];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < a; p++) {
                for (int q = 0; q < b; q++) {
                    dst[(i * b + q) * a + p] = src[(i * a + p) * b + q];
                }
            }
        }
        return dst;
    }

    @SuppressWarnings("unused")
    private static String shape(int[] s) {
        return Arrays.toString(s);
    }
}
