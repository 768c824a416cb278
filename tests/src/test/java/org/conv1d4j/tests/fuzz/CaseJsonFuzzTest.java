package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.cli.CaseReader;
import org.conv1d4j.io.InvalidInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the {@code case.json} reader with arbitrary bytes. Only {@link InvalidInputException} may escape, and a
 * spec that reads must survive a round trip through its own builder unchanged.
 */
class CaseJsonFuzzTest {
    private static final Path FILE = FuzzFiles.scratch("case.json");

    @FuzzTest(maxDuration = "")
    @DictionaryEntries({"\"op\"", "\"conv1d\"", "\"conv_transpose1d\"", "\"layout\"", "\"NCW\"", "\"NWC\"",
            "\"weight_layout\"", "\"OIW\"", "\"WIO\"", "\"IOW\"", "\"WOI\"", "\"in_channels\"", "\"out_channels\"",
            "\"kernel_size\"", "\"stride\"", "\"dilation\"", "\"groups\"", "\"padding\"", "\"same\"", "\"valid\"",
            "\"causal\"", "\"padding_mode\"", "\"reflect\"", "\"replicate\"", "\"circular\"", "\"zeros\"",
            "\"output_padding\"", "\"bias\"", "true", "false", "\"activation\"", "\"relu\"", "\"elu\"", "\"gelu_erf\"",
            "\"alpha\"", "null", "2147483647", "-1", "1e309"})
    void readsOrRejectsCleanly(FuzzedDataProvider data) throws IOException {
        Files.write(FILE, data.consumeRemainingAsBytes());
        try {
            Conv1dSpec spec = CaseReader.readSpec(FILE);
            assertEquals(spec, spec.toBuilder().build(), "spec does not survive its builder");
        } catch (InvalidInputException expected) {
            // the documented rejection
        }
    }
}
