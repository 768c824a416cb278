package org.conv1d4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.conv1d4j.spec.Layout;
import scala.collection.Seq;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** The tests' one {@code local[2]} session, their models and their random signals. */
final class SparkTesting {
    private static SparkSession spark;

    private SparkTesting() {
    }

    /**
     * How a test writes its signals into the input column. The {@code *_NOT_NULL} kinds declare elements that cannot
     * be null, which the transformer reads as primitive arrays ({@link PrimitiveRows}); the others as boxed Seqs.
     */
    enum Kind {
        FLAT_FLOAT(false, false, true),
        FLAT_DOUBLE(false, true, true),
        NESTED_FLOAT(true, false, true),
        NESTED_DOUBLE(true, true, true),
        FLAT_FLOAT_NOT_NULL(false, false, false),
        NESTED_DOUBLE_NOT_NULL(true, true, false);

        @SuppressWarnings("ImmutableEnumChecker") // Spark's DataType instances are immutable values
        final DataType type;
        private final boolean nested;
        private final boolean dbl;

        Kind(boolean nested, boolean dbl, boolean containsNull) {
            this.nested = nested;
            this.dbl = dbl;
            DataType element = dbl ? DataTypes.DoubleType : DataTypes.FloatType;
            this.type = nested
                    ? DataTypes.createArrayType(DataTypes.createArrayType(element, containsNull), containsNull)
                    : DataTypes.createArrayType(element, containsNull);
        }

        /** The column value of {@code rows x cols} floats ({@code (C, W)} or {@code (W, C)}). */
        Object value(float[] v, int rows, int cols) {
            if (!nested) {
                return dbl ? doubles(v, 0, v.length) : v.clone();
            }
            Object[] outer = new Object[rows];
            for (int r = 0; r < rows; r++) {
                outer[r] = dbl ? doubles(v, r * cols, cols) : Arrays.copyOfRange(v, r * cols, (r + 1) * cols);
            }
            return outer;
        }

        private static double[] doubles(float[] v, int from, int n) {
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = v[from + i];
            }
            return d;
        }
    }

    static synchronized SparkSession spark() {
        if (spark == null) {
            spark = SparkSession.builder().master("local[2]").appName("conv1d4j-spark-tests")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        }
        return spark;
    }

    /** The bytes of {@code nets/NAME/model.onnx} in the test resources. */
    static byte[] model(String name) {
        try (InputStream in = SparkTesting.class.getResourceAsStream("/nets/" + name + "/model.onnx")) {
            if (in == null) {
                throw new IllegalStateException("no test model " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The model written to a file in {@code dir}. */
    static Path modelFile(String name, Path dir) throws IOException {
        return Files.write(dir.resolve(name + ".onnx"), model(name));
    }

    static StructType schema(Kind kind) {
        return new StructType().add("id", DataTypes.LongType, false).add("signal", kind.type, true);
    }

    /** Random standard-normal signals of {@code channels} and the given widths, {@code (C, W)} or {@code (W, C)}. */
    static List<float[]> signals(long seed, int channels, int[] widths) {
        Random r = new Random(seed);
        List<float[]> out = new ArrayList<>();
        for (int w : widths) {
            float[] v = new float[channels * w];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
            out.add(v);
        }
        return out;
    }

    /** Rows {@code (id, signal)} over {@code partitions} partitions; a null signal stays null. */
    static Dataset<Row> frame(Kind kind, List<float[]> signals, int[] widths, int channels, Layout layout,
            int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < signals.size(); i++) {
            float[] s = signals.get(i);
            int w = widths[i];
            Object value = s == null ? null : layout == Layout.NCW ? kind.value(s, channels, w)
                    : kind.value(s, w, channels);
            rows.add(RowFactory.create((long) i, value));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
        return spark().createDataFrame(jsc.parallelize(rows, partitions), schema(kind));
    }

    /** The output column by id, flattened; null for a null output. */
    static Map<Long, float[]> outputs(Dataset<Row> scored, String column) {
        Map<Long, float[]> out = new TreeMap<>();
        for (Row row : scored.select("id", column).collectAsList()) {
            out.put(row.getLong(0), row.isNullAt(1) ? null : flatten(row.get(1)));
        }
        return out;
    }

    /** An {@code array<float>} or {@code array<array<float>>} value as one float array. */
    static float[] flatten(Object value) {
        List<Float> all = new ArrayList<>();
        collect(value, all);
        float[] f = new float[all.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = all.get(i);
        }
        return f;
    }

    private static void collect(Object value, List<Float> into) {
        Seq<?> s = (Seq<?>) value;
        for (int i = 0; i < s.length(); i++) {
            Object e = s.apply(i);
            if (e instanceof Seq<?>) {
                collect(e, into);
            } else {
                into.add((Float) e);
            }
        }
    }

    /** The exception and its causes' messages, one per line. */
    static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c.getClass().getName()).append(": ").append(c.getMessage()).append('\n');
        }
        return b.toString();
    }
}
