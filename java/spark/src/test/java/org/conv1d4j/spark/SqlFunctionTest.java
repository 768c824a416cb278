package org.conv1d4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.conv1d4j.spark.SparkTesting.Kind;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code conv1d4j_infer(model, signal)} in Spark SQL gives what the transformer gives. */
class SqlFunctionTest {
    @TempDir
    Path dir;

    @Test
    void inferInSqlEqualsTheTransformer() throws Exception {
        int[] widths = {13, 29, 64, 1, 29};
        List<float[]> signals = new ArrayList<>(SparkTesting.signals(11, 8, widths));
        signals.set(3, null);
        for (Kind kind : new Kind[] {Kind.FLAT_FLOAT, Kind.NESTED_DOUBLE}) {
            Dataset<Row> frame = SparkTesting.frame(kind, signals, widths, 8, Layout.NCW, 2);
            frame.createOrReplaceTempView("signals");
            Conv1dSql.register(SparkTesting.spark());
            String model = SparkTesting.modelFile("tcn", dir).toString();
            Map<Long, float[]> sql = SparkTesting.outputs(SparkTesting.spark().sql(
                    "SELECT id, conv1d4j_infer('" + model + "', signal) AS y FROM signals"), "y");
            Map<Long, float[]> stage = SparkTesting.outputs(new Conv1dTransformer().setModelPath(model)
                    .setInputCol("signal").setOutputCol("y").setHandleInvalid("keep").transform(frame), "y");
            assertNull(sql.get(3L));
            stage.forEach((id, y) -> assertArrayEquals(y, sql.get(id), kind + " row " + id));
        }
    }

    @Test
    void anInvalidSignalFailsTheQueryNamingTheReason() throws Exception {
        List<float[]> signals = SparkTesting.signals(12, 8, new int[] {16});
        signals.get(0)[3] = Float.NaN;
        SparkTesting.frame(Kind.FLAT_FLOAT, signals, new int[] {16}, 8, Layout.NCW, 1).createOrReplaceTempView("nan");
        Conv1dSql.register(SparkTesting.spark());
        String model = SparkTesting.modelFile("tcn", dir).toString();
        Exception e = assertThrows(Exception.class, () -> SparkTesting.spark()
                .sql("SELECT conv1d4j_infer('" + model + "', signal) FROM nan").collectAsList());
        assertTrue(SparkTesting.messages(e).contains("conv1d4j_infer: signal: NaN at [3]"), SparkTesting.messages(e));
    }
}
