package org.conv1d4j.tests.nets;

import org.conv1d4j.io.Npy;
import org.conv1d4j.Conv1dNet;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One network shared by threads, closed while in use, and loaded without the ONNX reader on the path. */
class NetLifecycleTest {
    @Test
    void threadsSharingOneNetGetTheSingleThreadedBits() throws Exception {
        Npy.Array x = Npy.read(NetCases.file("tcn", "input.npy"));
        int n = x.shape()[0];
        int w = x.shape()[2];
        try (Conv1dNet net = Conv1dNet.load(NetCases.file("tcn", "model.onnx"))) {
            float[] expected = net.forward(x.data(), n, w);
            int c = x.shape()[1];
            float[] one = java.util.Arrays.copyOf(x.data(), c * 7);
            float[] expectedOne = net.forward(one, 1, 7);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    final int id = t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < 50; i++) {
                            if ((i + id) % 2 == 0) {
                                assertArrayEquals(expected, net.forward(x.data(), n, w));
                            } else {
                                assertArrayEquals(expectedOne, net.forward(one, 1, 7));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void closingWhileCallsRunLetsThemFinish() throws Exception {
        Npy.Array x = Npy.read(NetCases.file("quartznet", "input.npy"));
        int n = x.shape()[0];
        int w = x.shape()[2];
        Conv1dNet net = Conv1dNet.load(NetCases.file("quartznet", "model.onnx"));
        float[] expected = net.forward(x.data(), n, w);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                done.add(pool.submit(() -> {
                    for (;;) {
                        float[] y;
                        try {
                            y = net.forward(x.data(), n, w);
                        } catch (IllegalStateException closed) {
                            return null;
                        }
                        assertArrayEquals(expected, y);
                    }
                }));
            }
            Thread.sleep(50);
            net.close();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(net.isClosed());
    }

    /** Core alone (no conv1d4j-onnx on the path): load says which artifact to add. */
    @Test
    void withoutTheReaderLoadNamesTheArtifact() throws Exception {
        URL core = Conv1dNet.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader alone = new URLClassLoader(new URL[] {core}, ClassLoader.getPlatformClassLoader())) {
            Class<?> net = alone.loadClass(Conv1dNet.class.getName());
            Method load = net.getMethod("load", byte[].class);
            byte[] model = Files.readAllBytes(NetCases.file("tcn", "model.onnx"));
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> load.invoke(null, model));
            IllegalStateException missing = assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(missing.getMessage().contains("org.conv1d4j:conv1d4j-onnx"), missing.getMessage());
        }
    }
}
