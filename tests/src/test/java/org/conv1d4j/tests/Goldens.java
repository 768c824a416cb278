package org.conv1d4j.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The golden case folders copied into the test resources (computed by PyTorch in float64). */
final class Goldens {
    private Goldens() {
    }

    static Path root() {
        try {
            return Path.of(Goldens.class.getResource("/goldens/cases").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Path> all() {
        try (Stream<Path> s = Files.list(root())) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code |y - e| <= 1e-4 * (1 + |e|)} everywhere: the goldens' own criterion. */
    static double worstGoldenRatio(float[] y, float[] expected) {
        double worst = 0;
        for (int i = 0; i < y.length; i++) {
            double err = Math.abs((double) y[i] - expected[i]);
            worst = Math.max(worst, err / (1e-4 * (1 + Math.abs(expected[i]))));
        }
        return worst;
    }
}
