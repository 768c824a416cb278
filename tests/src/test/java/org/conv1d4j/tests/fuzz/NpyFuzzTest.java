package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.io.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the {@code .npy} reader with arbitrary file contents. Only {@link InvalidInputException} may escape; any
 * other exception or error (an index out of bounds, a negative array size, an out-of-memory from a header that
 * promises more than the file holds) is a finding. A file that reads must have as many values as its shape says.
 */
class NpyFuzzTest {
    private static final Path FILE = FuzzFiles.scratch("fuzz.npy");

    @FuzzTest(maxDuration = "")
    void readsOrRejectsCleanly(FuzzedDataProvider data) throws IOException {
        Files.write(FILE, data.consumeRemainingAsBytes());
        try {
            Npy.Array a = Npy.read(FILE);
            long count = 1;
            for (int d : a.shape()) {
                count *= d;
            }
            assertEquals(count, a.data().length, "shape and data disagree");
        } catch (InvalidInputException expected) {
            // the documented rejection
        }
    }
}
