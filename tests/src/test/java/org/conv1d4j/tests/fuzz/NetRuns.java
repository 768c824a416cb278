package org.conv1d4j.tests.fuzz;

import org.conv1d4j.Conv1dNet;
import org.conv1d4j.net.NetGraph;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs a network the ONNX fuzz targets managed to load, on one small input, and checks the promised shape. */
final class NetRuns {
    /** Networks with a bigger tensor than this for the small input are loaded but not run, to keep fuzzing fast. */
    private static final long MAX_RUN_FLOATS = 1 << 16;

    private NetRuns() {
    }

    /**
     * @param net a loaded network (closed here)
     * @param width the width to try where the model does not fix one
     */
    static void runSmall(Conv1dNet net, int width) {
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
