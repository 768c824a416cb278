package org.conv1d4j.tests.nets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The shared network cases, copied into the test resources ({@code nets/cases/NAME/}). */
final class NetCases {
    private NetCases() {
    }

    static Path root() {
        try {
            return Path.of(NetCases.class.getResource("/nets/cases").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> names(boolean bad) {
        try (Stream<Path> s = Files.list(root())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("bad_") == bad).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path file(String name, String file) {
        return root().resolve(name).resolve(file);
    }
}
