package org.conv1d4j.tests.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.conv1d4j.io.InvalidInputException;
import org.conv1d4j.net.Conv1dNet;
import org.conv1d4j.net.NetGraph;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzzes the ONNX reader with arbitrary model bytes, seeded with the shared network cases, so that mutations reach
 * models that parse but are wrong (shapes, dangling names, cycles, dtypes, byte counts). Loading may only throw
 * {@link InvalidInputException}; anything else (an index out of bounds, an out-of-memory from dims that promise more
 * than the file holds, a stack overflow, a hang) is a finding. A model that loads is run on a small input; that may
 * only refuse the width with an {@link IllegalArgumentException}, and the output must have the shape it promised.
 */
class OnnxModelFuzzTest {
    /** Networks with a bigger tensor than this for the small input are loaded but not run, to keep fuzzing fast. */
    private static final long MAX_RUN_FLOATS = 1 << 16;

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
        try (net) {
            NetGraph g = net.graph();
            Map<String, Integer> widths;
            try {
                widths = g.widths(1, g.fixedWidth() > 0 ? g.fixedWidth() : width);
            } catch (IllegalArgumentException refusedWidth) {
                return;
            }
            for (Map.Entry<String, Integer> e : widths.entrySet()) {
                if ((long) g.channelsOf(e.getKey()) * e.getValue() > MAX_RUN_FLOATS) {
                    return;
                }
            }
            int w = widths.get(g.inputName());
            int[] shape = net.outputShape(1, w);
            float[] y = net.forward(new float[g.inputChannels() * w], 1, w);
            assertEquals((long) shape[0] * shape[1] * shape[2], y.length, "output shape and data disagree");
        }
    }
}
