package org.conv1d4j.tests;

import org.conv1d4j.Conv1d;
import org.conv1d4j.CrossCheck;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.cli.CaseReader;
import org.conv1d4j.cli.Conv1dCase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every golden case through every engine, judged by the goldens' criterion and by the cross-check bound. */
class GoldenTest {
    static Stream<Arguments> cases() {
        return Goldens.all().stream().flatMap(dir -> Stream.of(Engine.values()).map(e -> Arguments.of(dir.getFileName().toString(), e)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void matchesPyTorch(String name, Engine engine) throws Exception {
        Path dir = Goldens.root().resolve(name);
        Conv1dCase c = CaseReader.read(dir);
        try (Conv1d op = Conv1d.create(c.spec(), c.weights(), c.bias(), engine)) {
            float[] y = op.forward(c.input(), c.batch(), c.width());
            assertEquals(c.expected().length, y.length);
            double worst = Goldens.worstGoldenRatio(y, c.expected());
            assertTrue(worst <= 1, name + " on " + engine + ": error " + worst + "x the golden tolerance");
            CrossCheck.Report r = new CrossCheck(c.spec(), c.weights(), c.bias()).compare(y, c.input(), c.batch(), c.width());
            assertTrue(r.passed(), name + " on " + engine + ": " + r);
        }
    }
}
