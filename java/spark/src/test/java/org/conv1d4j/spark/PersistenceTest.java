package org.conv1d4j.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.param.Param;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.conv1d4j.spark.SparkTesting.Kind;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A {@link PipelineModel} holding the stage saves, loads and scores identically, with its params intact. */
class PersistenceTest {
    @TempDir
    Path dir;

    private static Dataset<Row> frame() {
        int[] widths = {13, 64, 13, 29, 7, 64};
        return SparkTesting.frame(Kind.NESTED_FLOAT, SparkTesting.signals(3, 8, widths), widths, 8, Layout.NCW, 2);
    }

    @Test
    void aPipelineWithTheModelInsideRoundTrips() throws Exception {
        roundTrip(new Conv1dTransformer().setModelBytes(SparkTesting.model("tcn")), "inside");
    }

    @Test
    void aPipelineWithAModelPathRoundTrips() throws Exception {
        roundTrip(new Conv1dTransformer().setModelPath(SparkTesting.modelFile("tcn", dir).toString()), "path");
    }

    private void roundTrip(Conv1dTransformer stage, String name) throws Exception {
        stage.setInputCol("signal").setOutputCol("y").setBatchSize(3).setHandleInvalid("keep").setFlattenOutput(true);
        PipelineModel model = new Pipeline().setStages(new PipelineStage[] {stage}).fit(frame());
        String where = dir.resolve(name).toUri().toString();
        model.write().overwrite().save(where);
        PipelineModel loaded = PipelineModel.load(where);

        Conv1dTransformer back = (Conv1dTransformer) loaded.stages()[0];
        assertEquals(stage.uid(), back.uid());
        for (Param<?> p : stage.params()) {
            assertEquals(stage.isDefined(p), back.isDefined(back.getParam(p.name())), p.name());
            if (!stage.isDefined(p)) {
                continue;
            }
            Object a = stage.getOrDefault(p);
            Object b = back.getOrDefault(back.getParam(p.name()));
            if (a instanceof byte[] bytes) {
                assertArrayEquals(bytes, (byte[]) b, p.name());
            } else {
                assertEquals(a, b, p.name());
            }
        }
        Map<Long, float[]> before = SparkTesting.outputs(model.transform(frame()), "y");
        Map<Long, float[]> after = SparkTesting.outputs(loaded.transform(frame()), "y");
        assertEquals(before.keySet(), after.keySet());
        before.forEach((id, y) -> assertArrayEquals(y, after.get(id), "row " + id));
    }

    @Test
    void theStageAloneRoundTrips() throws Exception {
        Conv1dTransformer stage = new Conv1dTransformer().setModelBytes(SparkTesting.model("tcn")).setInputCol("signal");
        String where = dir.resolve("stage").toUri().toString();
        stage.write().save(where);
        Conv1dTransformer back = Conv1dTransformer.load(where);
        assertArrayEquals(stage.getOrDefault(stage.modelBytes()), back.getOrDefault(back.modelBytes()));
        assertEquals("signal", back.getOrDefault(back.inputCol()));
    }
}
