package org.conv1d4j.spark;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.conv1d4j.spark.SparkTesting.Kind;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The network is loaded once per executor JVM (here: the {@code local[2]} JVM, which is also the driver), not once
 * per task, batch or row.
 */
class LoadOnceTest {
    @Test
    void oneLoadForEightPartitionsTwoJobsAndTheDriver() {
        int rows = 64;
        int[] widths = new int[rows];
        java.util.Arrays.fill(widths, 24);
        Dataset<Row> frame = SparkTesting.frame(Kind.FLAT_FLOAT, SparkTesting.signals(5, 8, widths), widths, 8,
                Layout.NCW, 8);
        // threads = 3 is a registry key no other test uses, so this test's load is counted whatever ran before.
        Conv1dTransformer stage = new Conv1dTransformer().setModelBytes(SparkTesting.model("tcn"))
                .setInputCol("signal").setBatchSize(4).setThreads(3);
        int before = NetRegistry.loads();
        assertEquals(rows, stage.transform(frame).count());
        assertEquals(rows, stage.transform(frame.repartition(5)).collectAsList().size());
        assertEquals(1, NetRegistry.loads() - before);
    }
}
