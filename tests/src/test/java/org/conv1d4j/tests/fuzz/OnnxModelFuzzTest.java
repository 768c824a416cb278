package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.Conv1dNet;

/**
 * Fuzzes the ONNX reader with arbitrary model bytes, seeded with the shared network cases, so that mutations reach
 * models that parse but are wrong (shapes, dangling names, cycles, dtypes, byte counts). Loading may only throw
 * {@link InvalidInputException}; anything else (an index out of bounds, an out-of-memory from dims that promise more
 * than the file holds, a stack overflow, a hang) is a finding. A model that loads is run on a small input; that may
 * only refuse the width with an {@link IllegalArgumentException}, and the output must have the shape it promised.
 */
class OnnxModelFuzzTest {
    @FuzzTest(maxDuration = "")
    void loadsOrRefusesCleanly(FuzzedDataProvider data) {
        int width = data.consumeInt(1, 64);
        byte[] model = data.consumeRemainingAsBytes();
        Conv1dNet net;
        try {
            net = Conv1dNet.load(model);
        } catch (InvalidInputException expected) {
            return;
        }
        NetRuns.runSmall(net, width);
    }
}
