package org.conv1d4j.tests.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A per-JVM scratch folder for the file readers' fuzz targets, which read real files as users' files are read. */
final class FuzzFiles {
    private FuzzFiles() {
    }

    static Path scratch(String name) {
        try {
            Path dir = Files.createTempDirectory("conv1d4j-fuzz");
            dir.toFile().deleteOnExit();
            Path file = dir.resolve(name);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
