package org.conv1d4j.tests.surface;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Java 22+ warns on every {@code System.load} by code not granted native access; JavaCPP loads oneDNN that way. The
 * runnable jar declares {@code Enable-Native-Access: ALL-UNNAMED}, so the CLI starts on Java 25 without a warning.
 */
class Java25Test {
    private static final Path JAVA25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    @Test
    void cliStartsOnJava25WithoutWarnings() throws Exception {
        assumeTrue(Files.isExecutable(JAVA25), "Temurin 25 is not installed here");
        Path jar = Path.of(System.getProperty("conv1d4j.cliJar", "../java/cli/target/conv1d4j-cli.jar"));
        Process p = new ProcessBuilder(JAVA25.toString(), "-jar", jar.toString(), "info").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "info returns");
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("Java") && out.contains("25"), out);
        assertFalse(out.contains("WARNING"), "no JVM warning on Java 25:\n" + out);
    }
}
