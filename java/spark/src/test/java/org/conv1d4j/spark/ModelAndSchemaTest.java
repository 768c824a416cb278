package org.conv1d4j.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.conv1d4j.spark.SparkTesting.Kind;
import org.conv1d4j.spec.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bad model fails on the driver with one message; {@code transformSchema} refuses bad columns up front. */
class ModelAndSchemaTest {
    @TempDir
    Path dir;

    private static org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> frame() {
        return SparkTesting.frame(Kind.FLAT_FLOAT, SparkTesting.signals(1, 8, new int[] {16}), new int[] {16}, 8,
                Layout.NCW, 1);
    }

    @Test
    void aMissingModelFileFailsWithOneMessage() {
        String path = dir.resolve("nowhere.onnx").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv1dTransformer().setModelPath(path).setInputCol("signal").transform(frame()));
        assertTrue(e.getMessage().startsWith("modelPath: cannot read the model '" + path + "'"), e.getMessage());
        for (Throwable c = e; c != null; c = c.getCause()) {
            assertFalse(c instanceof ExecutionException, SparkTesting.messages(e));
        }
    }

    @Test
    void anUnsupportedModelFailsWithOneMessage() throws Exception {
        String path = SparkTesting.modelFile("bad_softmax", dir).toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv1dTransformer().setModelPath(path).setInputCol("signal").transform(frame()));
        assertTrue(e.getMessage().startsWith("modelPath: '" + path + "' cannot be run by conv1d4j: "), e.getMessage());
        assertTrue(e.getMessage().contains("Softmax"), e.getMessage());
    }

    @Test
    void aModelFileScoresLikeItsBytes() throws Exception {
        String path = SparkTesting.modelFile("tcn", dir).toString();
        float[] byPath = SparkTesting.outputs(new Conv1dTransformer().setModelPath(path).setInputCol("signal")
                .transform(frame()), "output").get(0L);
        float[] byBytes = SparkTesting.outputs(new Conv1dTransformer().setModelBytes(SparkTesting.model("tcn"))
                .setInputCol("signal").transform(frame()), "output").get(0L);
        org.junit.jupiter.api.Assertions.assertArrayEquals(byBytes, byPath);
    }

    @Test
    void transformSchemaAddsTheOutputColumn() {
        Conv1dTransformer t = new Conv1dTransformer().setModelBytes(new byte[] {1}).setInputCol("signal");
        StructType out = t.transformSchema(SparkTesting.schema(Kind.NESTED_DOUBLE));
        assertEquals(DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false),
                out.apply("output").dataType());
        StructType flat = t.setFlattenOutput(true).setOutputCol("y").transformSchema(SparkTesting.schema(Kind.FLAT_FLOAT));
        assertEquals(DataTypes.createArrayType(DataTypes.FloatType, false), flat.apply("y").dataType());
    }

    @Test
    void transformSchemaRefusesBadColumnsAndParams() {
        StructType schema = SparkTesting.schema(Kind.FLAT_FLOAT).add("name", DataTypes.StringType)
                .add("ints", DataTypes.createArrayType(DataTypes.IntegerType));
        for (Object[] c : List.of(
                new Object[] {new Conv1dTransformer().setInputCol("signal"), "modelPath: set exactly one"},
                new Object[] {new Conv1dTransformer().setModelBytes(new byte[1]).setModelPath("m").setInputCol("signal"),
                    "modelPath: set exactly one"},
                new Object[] {new Conv1dTransformer().setModelBytes(new byte[1]), "inputCol: not set"},
                new Object[] {new Conv1dTransformer().setModelBytes(new byte[1]).setInputCol("nope"),
                    "inputCol: column 'nope' does not exist"},
                new Object[] {new Conv1dTransformer().setModelBytes(new byte[1]).setInputCol("name"),
                    "inputCol: column 'name' must be of type array<float>"},
                new Object[] {new Conv1dTransformer().setModelBytes(new byte[1]).setInputCol("ints"),
                    "but was actually array<int>"},
                new Object[] {new Conv1dTransformer().setModelBytes(new byte[1]).setInputCol("signal").setOutputCol("id"),
                    "outputCol: column 'id' already exists"})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ((Conv1dTransformer) c[0]).transformSchema(schema));
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
        }
    }

    @Test
    void paramsRefuseValuesOutsideTheirDomain() {
        Conv1dTransformer t = new Conv1dTransformer();
        assertThrows(IllegalArgumentException.class, () -> t.setBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> t.setHandleInvalid("drop"));
        assertThrows(IllegalArgumentException.class, () -> t.setLayout("CWN"));
        assertThrows(IllegalArgumentException.class, () -> t.setPrecision("f16"));
        assertThrows(IllegalArgumentException.class, () -> t.setEngine("gpu"));
        assertThrows(IllegalArgumentException.class, () -> t.setThreads(-1));
    }
}
