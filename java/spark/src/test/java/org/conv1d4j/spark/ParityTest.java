package org.conv1d4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.spark.SparkTesting.Kind;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The transformer's output equals {@link Conv1dNet#forward} on each row alone, bit for bit: same engine (the
 * reference, whose output for one sample does not depend on the others in its batch), over several partitions,
 * ragged widths and both batch sizes the issue names.
 */
class ParityTest {
    /** TCN: C = 8 in, 16 out, causal (any width). Widths: 1, primes, a non-multiple of 16 and 64. */
    private static final int[] TCN_WIDTHS = {1, 7, 13, 29, 64};

    @ParameterizedTest(name = "{0}, batchSize {1}")
    @CsvSource({"FLAT_FLOAT, 1", "FLAT_FLOAT, 16", "NESTED_FLOAT, 1", "NESTED_FLOAT, 16", "FLAT_DOUBLE, 16",
        "NESTED_DOUBLE, 16", "FLAT_FLOAT, 5", "FLAT_FLOAT_NOT_NULL, 1", "FLAT_FLOAT_NOT_NULL, 16",
        "NESTED_DOUBLE_NOT_NULL, 16"})
    void tcnEqualsTheNetRowByRow(Kind kind, int batchSize) {
        check("tcn", 8, kind, Layout.NCW, batchSize, TCN_WIDTHS, 120, 5, false);
    }

    @Test
    void nwcSignalsAndFlattenedOutputs() {
        check("tcn", 8, Kind.NESTED_FLOAT, Layout.NWC, 16, TCN_WIDTHS, 60, 3, true);
        check("tcn", 8, Kind.NESTED_DOUBLE_NOT_NULL, Layout.NWC, 16, TCN_WIDTHS, 60, 3, true);
    }

    @Test
    void wav2vecFrontOnOneChannelClips() {
        check("wav2vec_front", 1, Kind.FLAT_FLOAT, Layout.NCW, 16, new int[] {400, 401, 733, 1600}, 40, 3, false);
    }

    /**
     * On oneDNN, a row alone (batch size 1) gives the same bits in Spark as in one JVM with the same thread count;
     * in a batch of N the primitive for N may block its work otherwise, so bit-identity is asked of the reference.
     */
    @Test
    void oneDnnRowsAloneEqualTheNet() {
        check("tcn", 8, Kind.FLAT_FLOAT, Layout.NCW, 1, TCN_WIDTHS, 40, 3, false, Engine.ONEDNN_2D);
        check("tcn", 8, Kind.NESTED_FLOAT, Layout.NWC, 1, TCN_WIDTHS, 40, 2, true, Engine.ONEDNN_2D);
    }

    private static void check(String model, int channels, Kind kind, Layout layout, int batchSize, int[] widthChoices,
            int rows, int partitions, boolean flatten) {
        check(model, channels, kind, layout, batchSize, widthChoices, rows, partitions, flatten, Engine.REFERENCE);
    }

    private static void check(String model, int channels, Kind kind, Layout layout, int batchSize, int[] widthChoices,
            int rows, int partitions, boolean flatten, Engine engine) {
        Random r = new Random(rows * 31L + batchSize);
        int[] widths = new int[rows];
        for (int i = 0; i < rows; i++) {
            widths[i] = widthChoices[r.nextInt(widthChoices.length)];
        }
        List<float[]> signals = SparkTesting.signals(batchSize, channels, widths);
        Dataset<Row> frame = SparkTesting.frame(kind, signals, widths, channels, layout, partitions);
        assertEquals(kind.name().endsWith("_NOT_NULL"), PrimitiveRows.isPrimitive(frame.schema().apply("signal")
                .dataType()), "which path reads the column");
        byte[] bytes = SparkTesting.model(model);
        Conv1dTransformer stage = new Conv1dTransformer().setModelBytes(bytes).setInputCol("signal")
                .setOutputCol("y").setLayout(layout.name()).setBatchSize(batchSize).setFlattenOutput(flatten)
                .setEngine(engine.cliName());
        Map<Long, float[]> got = SparkTesting.outputs(stage.transform(frame), "y");

        assertEquals(rows, got.size());
        // one thread per call, as spark.task.cpus = 1 gives the stage
        NetOptions options = NetOptions.defaults().withEngine(engine).withLayout(layout).withThreadsPerCall(1);
        try (Conv1dNet net = Conv1dNet.load(bytes, options)) {
            for (int i = 0; i < rows; i++) {
                float[] expected = net.forward(signals.get(i), 1, widths[i]);
                assertArrayEquals(expected, got.get((long) i), "row " + i + " (W = " + widths[i] + ")");
            }
        }
    }
}
