package org.conv1d4j.tests;

import org.conv1d4j.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI's messages a newcomer reads (issue 9 item 7, issue 10 item 4): {@code <verb> --help} for every verb,
 * {@code run}'s line on success, both engine spellings, the golden comparison as a sentence, and {@code explain}'s
 * defaults (the API's) and its plain 2D-vs-1D verdict.
 */
class CliVerbsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"explain", "bench", "run", "check", "info"})
    void everyVerbPrintsItsUsageAndExits0(String verb) {
        CliTest.Result r = CliTest.cli(verb, "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("Usage: conv1d4j " + verb), r.out());
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void benchAndExplainDescribeTheirLayersByShape() {
        String bench = CliTest.cli("bench", "--help").out();
        assertTrue(bench.contains("S1          N 1, W 128, C 64 -> 64, K 3, same"), bench);
        assertTrue(bench.contains("S4          N 16, W 2048, C 128 -> 128, K 9, groups 128, same"), bench);
        String explain = CliTest.cli("explain", "--help").out();
        assertTrue(explain.contains("S3  N 32, W 512, C 512 -> 512, K 1, same: pointwise conv"), explain);
        assertTrue(explain.contains("layout NCW"), explain);
        assertFalse(bench.contains("peers.md") || explain.contains("peers.md"));
    }

    @Test
    void runSaysWhatItWroteAndTakesBothEngineSpellings() throws IOException {
        Path golden = Goldens.root().resolve("stride3");
        for (String engine : new String[] {"onednn", "onednn-2d", "ONEDNN_2D"}) {
            Path out = tmp.resolve(engine + ".npy");
            CliTest.Result r = CliTest.cli("run", "--case", golden.toString(), "--output", out.toString(), "--engine",
                    engine);
            assertEquals(0, r.code(), r.err());
            int[] shape = Npy.read(out).shape();
            String line = r.out().strip();
            assertFalse(line.contains("\n"), "one line: " + line);
            assertEquals("wrote output (N, C_out, OW) (" + shape[0] + ", " + shape[1] + ", " + shape[2]
                    + "), float32, to " + out, line);
        }
    }

    @Test
    void checkReadsAsSentences() {
        CliTest.Result r = CliTest.cli("check", "--engine", "onednn-2d,onednn-1d", "--case",
                Goldens.root().resolve("basic_valid").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("vs expected.npy: the worst error is "), r.out());
        assertTrue(r.out().contains(" of the golden tolerance 1e-4 * (1 + |expected|), PASS"), r.out());
    }

    @Test
    void explainUsesTheApisDefaultsAndSaysWhichWasFaster() {
        CliTest.Result r = CliTest.cli("explain", "--in-channels", "5", "--out-channels", "7", "--kernel-size", "3",
                "--width", "61", "--budget", "0.02");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layout=NCW, weights=OIW"), "the builder's defaults: " + r.out());
        assertTrue(r.out().contains("2D vs 1D: "), r.out());
        assertTrue(r.out().contains("2D was ") || r.out().contains("1D was faster here")
                || r.out().contains("2D and 1D were even here"), r.out());
        assertFalse(r.out().contains("why 2D"), r.out());
    }
}
