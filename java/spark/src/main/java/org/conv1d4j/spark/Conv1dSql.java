package org.conv1d4j.spark;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.types.DataTypes;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SQL function {@code conv1d4j_infer(model, signal)}: runs the network in the file {@code model} on one row's
 * signal ({@code array<float|double>} of {@code C * W} values or {@code array<array<float|double>>} of {@code C x W},
 * NCW) and returns {@code array<array<float>>} ({@code C_out x OW}); a null signal gives null, an invalid one fails
 * the query naming the reason. One row per call (no batching: use {@link Conv1dTransformer} for throughput).
 *
 * <p>{@code model} is a local path every executor can read (a shared mount, or a file shipped with
 * {@code spark-submit --files}); each JVM reads it once and shares the network by content with
 * {@link Conv1dTransformer} ({@link NetRegistry}).
 */
public final class Conv1dSql {
    /** The function's name in SQL. */
    public static final String NAME = "conv1d4j_infer";

    private static final Map<String, ModelBytes> FILES = new ConcurrentHashMap<>();

    private Conv1dSql() {
    }

    /**
     * Registers {@value #NAME} on the oneDNN engine with the threads {@code spark.task.cpus} gives.
     *
     * @param spark the session
     * @throws IllegalArgumentException naming {@code spark} when it is null
     */
    public static void register(SparkSession spark) {
        if (spark == null) {
            throw new IllegalArgumentException("spark: must not be null");
        }
        NetSettings settings = new NetSettings(Engine.ONEDNN_2D, Layout.NCW, Precision.F32,
                TaskThreads.of(spark.sparkContext().getConf()));
        spark.udf().register(NAME, (UDF2<String, Object, float[][]>) (model, signal) -> infer(model, signal, settings),
                DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false)));
    }

    private static float[][] infer(String model, Object signal, NetSettings settings) {
        if (signal == null) {
            return null;
        }
        if (model == null) {
            throw new IllegalArgumentException(NAME + ": model: must not be null");
        }
        ModelBytes bytes = FILES.computeIfAbsent(model, Conv1dSql::readFile);
        Conv1dNet net = NetRegistry.net(bytes.sha256(), settings, bytes::bytes);
        Signal s;
        int[] shape;
        try {
            s = Signal.read(signal, net.graph().inputChannels(), Layout.NCW);
            shape = net.outputShape(1, s.width());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NAME + ": signal: " + e.getMessage(), e);
        }
        return ScoreSpec.rows(net.forward(s.values(), 1, s.width()), 0, shape[1], shape[2]);
    }

    private static ModelBytes readFile(String model) {
        try {
            return ModelBytes.of(Files.readAllBytes(Path.of(model)));
        } catch (IOException e) {
            throw new UncheckedIOException(NAME + ": model: cannot read '" + model + "' on this executor", e);
        }
    }
}
