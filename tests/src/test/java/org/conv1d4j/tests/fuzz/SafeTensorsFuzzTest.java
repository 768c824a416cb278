package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the safetensors reader with arbitrary file contents, read from a real file as users' files are. Only
 * {@link InvalidInputException} may escape; any other exception or error (an index out of bounds, a negative array
 * size, an out-of-memory from a header that promises more than the file holds) is a finding. Every tensor of a file
 * that reads converts to as many floats as its shape says, or is refused as not a float.
 */
class SafeTensorsFuzzTest {
    private static final Path FILE = FuzzFiles.scratch("fuzz.safetensors");

    @FuzzTest(maxDuration = "")
    void readsOrRejectsCleanly(FuzzedDataProvider data) throws IOException {
        Files.write(FILE, data.consumeRemainingAsBytes());
        try {
            SafeTensors st = SafeTensors.read(FILE);
            for (String name : st.names()) {
                long count = Arrays.stream(st.shape(name)).asLongStream().reduce(1, (a, b) -> a * b);
                try {
                    assertEquals(count, st.floats(name).length, "shape and values disagree for " + name);
                } catch (InvalidInputException notAFloat) {
                    // an integer or 8-bit dtype: the documented refusal
                }
            }
        } catch (InvalidInputException expected) {
            // the documented rejection
        }
    }
}
