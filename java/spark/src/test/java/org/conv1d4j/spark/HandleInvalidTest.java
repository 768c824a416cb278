package org.conv1d4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.spark.SparkTesting.Kind;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code handleInvalid} on nulls, wrong lengths, NaN and infinite values: {@code error} names the row and the
 * reason, {@code skip} drops the row, {@code keep} gives it a null output; the valid rows score as always.
 */
class HandleInvalidTest {
    private static final int C = 8;
    private static final int W = 16;
    /** Rows 0-4 are partition 0, rows 5-9 partition 1 ({@code parallelize} slices in order). */
    private static final int ROWS = 10;
    private static final Set<Long> INVALID = Set.of(1L, 3L, 6L, 8L);

    /** Row 1 is null, row 3 has 3 values too many, row 6 holds a NaN at [5], row 8 an infinity at [0]. */
    private static Dataset<Row> frame() {
        List<float[]> signals = new ArrayList<>(SparkTesting.signals(7, C, repeat(W)));
        int[] widths = repeat(W);
        signals.set(1, null);
        signals.set(3, java.util.Arrays.copyOf(signals.get(3), C * W + 3));
        signals.get(6)[5] = Float.NaN;
        signals.get(8)[0] = Float.NEGATIVE_INFINITY;
        return SparkTesting.frame(Kind.FLAT_FLOAT, signals, widths, C, Layout.NCW, 2);
    }

    private static int[] repeat(int w) {
        int[] a = new int[ROWS];
        java.util.Arrays.fill(a, w);
        return a;
    }

    /** On the reference engine, whose output for a row does not depend on the rows batched with it. */
    private static Conv1dTransformer stage(String mode) {
        return new Conv1dTransformer().setModelBytes(SparkTesting.model("tcn")).setInputCol("signal")
                .setBatchSize(4).setHandleInvalid(mode).setEngine("reference");
    }

    @Test
    void errorNamesTheRowAndTheReason() {
        List<float[]> signals = SparkTesting.signals(7, C, repeat(W));
        signals.get(7)[C * W - 1] = Float.NaN;
        Dataset<Row> oneNaN = SparkTesting.frame(Kind.FLAT_FLOAT, signals, repeat(W), C, Layout.NCW, 2);
        Exception e = assertThrows(Exception.class, () -> stage("error").transform(oneNaN).collectAsList());
        String m = SparkTesting.messages(e);
        assertTrue(m.contains("Conv1dTransformer: inputCol 'signal', row 2 of partition 1: NaN at [127]"), m);
    }

    @Test
    void aSignalNarrowerThanTheNetworkNeedsIsInvalid() {
        int[] widths = {400, 4, 401};
        Dataset<Row> f = SparkTesting.frame(Kind.FLAT_FLOAT, SparkTesting.signals(4, 1, widths), widths, 1,
                Layout.NCW, 1);
        Conv1dTransformer wav2vec = new Conv1dTransformer().setModelBytes(SparkTesting.model("wav2vec_front"))
                .setInputCol("signal");
        Exception e = assertThrows(Exception.class, () -> wav2vec.transform(f).collectAsList());
        assertTrue(SparkTesting.messages(e).contains("row 1 of partition 0: width"), SparkTesting.messages(e));
        Map<Long, float[]> kept = SparkTesting.outputs(wav2vec.setHandleInvalid("keep").transform(f), "output");
        assertNull(kept.get(1L));
        assertEquals(3, kept.size());
        assertEquals(2, kept.values().stream().filter(java.util.Objects::nonNull).count());
    }

    @Test
    void primitiveArraysAreCheckedToo() {
        int[] widths = repeat(W);
        List<float[]> signals = new ArrayList<>(SparkTesting.signals(7, C, widths));
        signals.set(2, java.util.Arrays.copyOf(signals.get(2), C * W - 1));
        signals.get(4)[9] = Float.POSITIVE_INFINITY;
        Dataset<Row> f = SparkTesting.frame(Kind.FLAT_FLOAT_NOT_NULL, signals, widths, C, Layout.NCW, 1);
        Exception e = assertThrows(Exception.class, () -> stage("error").transform(f).collectAsList());
        assertTrue(SparkTesting.messages(e).contains("row 2 of partition 0: its 127 values are not C x W"),
                SparkTesting.messages(e));
        Map<Long, float[]> kept = SparkTesting.outputs(stage("keep").transform(f), "output");
        assertNull(kept.get(2L));
        assertNull(kept.get(4L));
        assertEquals(ROWS, kept.size());
    }

    @Test
    void errorOnAWrongLengthAndOnANull() {
        for (int bad : new int[] {1, 3}) {
            Dataset<Row> f = frame().filter("id = " + bad);
            Exception e = assertThrows(Exception.class, () -> stage("error").transform(f).collectAsList());
            String m = SparkTesting.messages(e);
            assertTrue(m.contains(bad == 1 ? "the signal is null"
                    : "its 131 values are not C x W for the model's C = 8"), m);
        }
    }

    @Test
    void skipDropsTheInvalidRows() {
        Map<Long, float[]> got = SparkTesting.outputs(stage("skip").transform(frame()), "output");
        assertEquals(ROWS - INVALID.size(), got.size());
        got.keySet().forEach(id -> assertTrue(!INVALID.contains(id), "row " + id + " should be dropped"));
        checkValid(got);
    }

    @Test
    void keepGivesANullOutput() {
        Map<Long, float[]> got = SparkTesting.outputs(stage("keep").transform(frame()), "output");
        assertEquals(ROWS, got.size());
        INVALID.forEach(id -> assertNull(got.get(id), "row " + id));
        checkValid(got);
    }

    @Test
    void keepOnNestedSignalsWithTheWrongChannelCount() {
        List<float[]> signals = SparkTesting.signals(9, C, new int[] {W, W});
        Object good = Kind.NESTED_FLOAT.value(signals.get(0), C, W);
        Object sevenChannels = Kind.NESTED_FLOAT.value(signals.get(1), C - 1, W);
        Dataset<Row> f = SparkTesting.spark().createDataFrame(List.of(RowFactory.create(0L, good),
                RowFactory.create(1L, sevenChannels)), SparkTesting.schema(Kind.NESTED_FLOAT)).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> stage("error").transform(f).collectAsList());
        assertTrue(SparkTesting.messages(e).contains("row 1 of partition 0: it has 7 channels, the model takes C = 8"),
                SparkTesting.messages(e));
        Map<Long, float[]> kept = SparkTesting.outputs(stage("keep").transform(f), "output");
        assertNull(kept.get(1L));
        assertEquals(2, kept.size());
    }

    private static void checkValid(Map<Long, float[]> got) {
        List<float[]> signals = SparkTesting.signals(7, C, repeat(W));
        NetOptions reference = NetOptions.defaults().withEngine(Engine.REFERENCE);
        try (Conv1dNet net = Conv1dNet.load(SparkTesting.model("tcn"), reference)) {
            for (long id = 0; id < ROWS; id++) {
                if (!INVALID.contains(id)) {
                    assertArrayEquals(net.forward(signals.get((int) id), 1, W), got.get(id), "row " + id);
                }
            }
        }
    }
}
