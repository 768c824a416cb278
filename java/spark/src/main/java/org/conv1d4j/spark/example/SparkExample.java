package org.conv1d4j.spark.example;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.NetOptions;
import org.conv1d4j.spark.Conv1dTransformer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a Parquet dataset of synthetic 1 s clips (16 kHz), scores it with the wav2vec 2.0 feature-encoder network
 * ({@code wav2vec_front}, one of the shared network cases) through {@link Conv1dTransformer}, and prints rows/s
 * against a plain Java loop over the same rows with the same network and batch size.
 *
 * <p>Arguments: {@code [rows [batchSize [dir]]]} (default 256, 16 and a local temporary directory, deleted at the
 * end; on a cluster give a directory every executor can reach, e.g. {@code hdfs:///tmp/x}: it is left in place).
 * Runs on {@code local[2]} unless {@code spark.master} is set (as {@code spark-submit --master} does).
 */
public final class SparkExample {
    private static final int SAMPLES = 16_000;
    private static final int REPEATS = 5;

    private SparkExample() {
    }

    /**
     * Runs the example.
     *
     * @param args {@code [rows [batchSize [dir]]]}
     * @throws Exception when the model or the temporary files cannot be read or written, or a run fails
     */
    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        byte[] model = model();
        SparkSession.Builder builder = SparkSession.builder().appName("conv1d4j-spark-example")
                .config("spark.ui.enabled", "false");
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[2]");
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Path dir = args.length > 2 ? null : Files.createTempDirectory("conv1d4j-spark-example");
        String parquet = dir == null ? args[2] + "/clips.parquet" : dir.resolve("clips.parquet").toUri().toString();
        try {
            writeClips(spark, rows, parquet);
            Dataset<Row> clips = spark.read().parquet(parquet);
            Conv1dTransformer stage = new Conv1dTransformer().setModelBytes(model).setInputCol("clip")
                    .setOutputCol("features").setBatchSize(batchSize);
            int slots = spark.sparkContext().defaultParallelism();
            System.out.printf(Locale.ROOT, "conv1d4j Spark example: wav2vec 2.0 feature encoder (wav2vec_front), %d clips"
                    + " of %d samples (1 s at 16 kHz), batchSize %d, engine %s, %s (%d task slots, %d partitions)%n",
                    rows, SAMPLES, batchSize, stage.getOrDefault(stage.engine()), spark.sparkContext().master(), slots,
                    clips.rdd().getNumPartitions());
            Row first = stage.transform(clips.limit(1)).first();
            System.out.printf(Locale.ROOT, "  clip 0 -> features %d x %d (C_out x OW)%n",
                    first.getList(first.fieldIndex("features")).size(),
                    ((scala.collection.Seq<?>) first.getList(first.fieldIndex("features")).get(0)).length());

            List<float[]> local = collect(clips);
            // as the stage runs it: the engine it defaults to, one OpenMP thread per call (spark.task.cpus = 1)
            try (Conv1dNet net = Conv1dNet.load(model, NetOptions.defaults().withThreadsPerCall(1))) {
                // Spark and the loop alternate, so that a neighbour's load on the machine hits both alike.
                Timed onSpark = () -> time(() -> stage.transform(clips).write().format("noop").mode("overwrite")
                        .save());
                Timed onLoop = () -> time(() -> loop(net, local, batchSize, slots));
                onSpark.seconds();
                onLoop.seconds();
                double[] sparkRuns = new double[REPEATS];
                double[] loopRuns = new double[REPEATS];
                for (int i = 0; i < REPEATS; i++) {
                    sparkRuns[i] = onSpark.seconds();
                    loopRuns[i] = onLoop.seconds();
                }
                double sparkS = median(sparkRuns);
                double loopS = median(loopRuns);
                double[] oneRuns = new double[slots > 1 ? REPEATS : 0];
                for (int i = 0; i < oneRuns.length; i++) {
                    oneRuns[i] = time(() -> loop(net, local, batchSize, 1));
                }
                System.out.printf(Locale.ROOT, "  %-38s %8.1f rows/s%n", "Spark " + spark.sparkContext().master()
                        + " (Parquet in, noop out)", rows / sparkS);
                System.out.printf(Locale.ROOT, "  %-38s %8.1f rows/s%n", "plain Java loop, " + slots + " thread" + (slots > 1 ? "s" : ""),
                        rows / loopS);
                if (slots > 1) {
                    System.out.printf(Locale.ROOT, "  %-38s %8.1f rows/s%n", "plain Java loop, 1 thread",
                            rows / median(oneRuns));
                }
                System.out.printf(Locale.ROOT, "  Spark's overhead against the %d-thread loop: %.1f %% (medians of %d"
                        + " alternating runs after one warm-up each)%n", slots, 100 * (sparkS / loopS - 1), REPEATS);
            }
        } finally {
            spark.stop();
            if (dir != null) {
                deleteTree(dir);
            }
        }
    }

    private static byte[] model() throws IOException {
        try (InputStream in = SparkExample.class.getResourceAsStream("wav2vec_front.onnx")) {
            if (in == null) {
                throw new IOException("the example's model wav2vec_front.onnx is missing from the class path");
            }
            return in.readAllBytes();
        }
    }

    /**
     * Chirps with noise: a frequency sweep of a random start, so no two clips are alike. One file per task slot, of
     * equal row counts, so that every slot gets as many rows as the plain loop's threads do.
     */
    private static void writeClips(SparkSession spark, int rows, String parquet) {
        Random r = new Random(42);
        List<Row> clips = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            float[] x = new float[SAMPLES];
            double f0 = 100 + 900 * r.nextDouble();
            for (int t = 0; t < SAMPLES; t++) {
                double s = t / 16_000.0;
                x[t] = (float) (0.5 * Math.sin(2 * Math.PI * (f0 + 200 * s) * s) + 0.05 * r.nextGaussian());
            }
            clips.add(RowFactory.create((long) i, x));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("clip", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        spark.createDataFrame(clips, schema).repartition(spark.sparkContext().defaultParallelism())
                .write().mode("overwrite").parquet(parquet);
    }

    private static List<float[]> collect(Dataset<Row> clips) {
        List<float[]> out = new ArrayList<>();
        for (Row row : clips.select("clip").collectAsList()) {
            List<Object> v = row.getList(0);
            float[] x = new float[v.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (Float) v.get(i);
            }
            out.add(x);
        }
        return out;
    }

    /** The same work without Spark: batches of {@code batchSize} clips, the rows split over {@code threads}. */
    private static void loop(Conv1dNet net, List<float[]> clips, int batchSize, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> parts = new ArrayList<>();
            int per = (clips.size() + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                List<float[]> part = clips.subList(Math.min(clips.size(), t * per),
                        Math.min(clips.size(), (t + 1) * per));
                parts.add(pool.submit(() -> {
                    for (int b = 0; b < part.size(); b += batchSize) {
                        int n = Math.min(batchSize, part.size() - b);
                        float[] input = new float[n * SAMPLES];
                        for (int k = 0; k < n; k++) {
                            System.arraycopy(part.get(b + k), 0, input, k * SAMPLES, SAMPLES);
                        }
                        net.forward(input, n, SAMPLES);
                    }
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    private interface Timed {
        double seconds() throws Exception;
    }

    private static double time(Run run) throws Exception {
        long t0 = System.nanoTime();
        run.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] seconds) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        }
    }
}
