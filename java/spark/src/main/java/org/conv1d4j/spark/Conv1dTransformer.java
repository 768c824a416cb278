package org.conv1d4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.conv1d4j.Conv1dNet;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Spark ML stage that runs a Conv1D network ({@link Conv1dNet}, e.g. from ONNX) on every row of a DataFrame and
 * appends its output.
 *
 * <p>The input column holds one signal per row: {@code array<float>} ({@code C * W} values in {@link #layout()}) or
 * {@code array<array<float>>} ({@code C} arrays of {@code W} in NCW, {@code W} arrays of {@code C} in NWC);
 * {@code double} elements are rounded to float. Up to {@link #batchSize()} consecutive rows of a partition are
 * stacked into one batch {@code N}; rows of different widths go into different batches (never padded). The output
 * column is {@code array<array<float>>} ({@code C_out x OW} in NCW, {@code OW x C_out} in NWC) or, with
 * {@link #flattenOutput()}, the same values as one {@code array<float>}.
 *
 * <p>The model comes from {@link #modelPath()} (any Hadoop file system the driver can read) or
 * {@link #modelBytes()} (carried in the stage and in a saved pipeline). The driver reads and loads it once per
 * {@link #transform(Dataset)} (a bad model fails there, with one message), then broadcasts the bytes; each executor
 * JVM loads one shared network per model content ({@link NetRegistry}). Threads per call default to
 * {@code spark.task.cpus}. Saved and loaded with {@link org.apache.spark.ml.Pipeline} persistence.
 */
public final class Conv1dTransformer extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;
    private static final List<String> LAYOUTS = List.of("NCW", "NWC");
    private static final List<String> PRECISIONS = List.of("f32", "bf16");
    private static final List<String> MODES = List.of("error", "skip", "keep");

    /** This stage's id. */
    private final String uid;
    /** See {@link #modelPath()}. */
    private final Param<String> modelPath;
    /** See {@link #modelBytes()}. */
    private final BytesParam modelBytes;
    /** See {@link #inputCol()}. */
    private final Param<String> inputCol;
    /** See {@link #outputCol()}. */
    private final Param<String> outputCol;
    /** See {@link #layout()}. */
    private final Param<String> layout;
    /** See {@link #batchSize()}. */
    private final IntParam batchSize;
    /** See {@link #engine()}. */
    private final Param<String> engine;
    /** See {@link #precision()}. */
    private final Param<String> precision;
    /** See {@link #threads()}. */
    private final IntParam threads;
    /** See {@link #handleInvalid()}. */
    private final Param<String> handleInvalid;
    /** See {@link #flattenOutput()}. */
    private final BooleanParam flattenOutput;

    /** A stage with a random uid and the default params. */
    public Conv1dTransformer() {
        this(Identifiable.randomUID("conv1d4j"));
    }

    /**
     * A stage with the default params (what {@link org.apache.spark.ml.util.DefaultParamsReader} calls).
     *
     * @param uid the stage's id
     */
    public Conv1dTransformer(String uid) {
        this.uid = uid;
        modelPath = new Param<>(this, "modelPath", "the model file (ONNX), read by the driver through Hadoop's "
                + "file systems; set this or modelBytes");
        modelBytes = new BytesParam(this, "modelBytes", "the model file's bytes, carried in the stage; set this or "
                + "modelPath");
        inputCol = new Param<>(this, "inputCol", "the signals: array<float|double> or array<array<float|double>>");
        outputCol = new Param<>(this, "outputCol", "the network's outputs: array<array<float>> or array<float>");
        layout = new Param<>(this, "layout", "how a signal's values are ordered, NCW (channels, then time) or NWC",
                ParamValidators.inArray(LAYOUTS));
        batchSize = new IntParam(this, "batchSize", "at most this many rows of equal width per network call",
                ParamValidators.gtEq(1));
        engine = new Param<>(this, "engine", "the engine: onednn (the fused oneDNN chain), onednn-1d or "
                + "reference (plain Java, the oracle)", ParamValidators.inArray(Arrays.stream(Engine.values()).map(Engine::cliName).toList()));
        precision = new Param<>(this, "precision", "what a oneDNN engine computes in: f32 or bf16",
                ParamValidators.inArray(PRECISIONS));
        threads = new IntParam(this, "threads", "threads per network call; 0 means spark.task.cpus",
                ParamValidators.gtEq(0));
        handleInvalid = new Param<>(this, "handleInvalid", "what to do with a row that cannot be scored (null, not "
                + "C x W, too narrow, NaN or infinite values): error, skip (drop it) or keep (null output)",
                ParamValidators.inArray(MODES));
        flattenOutput = new BooleanParam(this, "flattenOutput", "whether the output is one array<float>");
        setDefault(outputCol, "output");
        setDefault(layout, "NCW");
        setDefault(batchSize, 16);
        setDefault(engine, Engine.ONEDNN_2D.cliName());
        setDefault(precision, "f32");
        setDefault(threads, 0);
        setDefault(handleInvalid, HandleInvalid.ERROR.paramValue());
        setDefault(flattenOutput, false);
    }

    /** @return this stage's id */
    @Override
    public String uid() {
        return uid;
    }

    /** @return the param: the model file */
    public Param<String> modelPath() {
        return modelPath;
    }

    /** @return the param: the model's bytes */
    public BytesParam modelBytes() {
        return modelBytes;
    }

    /** @return the param: the input column */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** @return the param: the output column (default {@code output}) */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** @return the param: {@code NCW} (default) or {@code NWC} */
    public Param<String> layout() {
        return layout;
    }

    /** @return the param: rows per network call (default 16) */
    public IntParam batchSize() {
        return batchSize;
    }

    /** @return the param: the engine's CLI name (default {@code onednn}) */
    public Param<String> engine() {
        return engine;
    }

    /** @return the param: {@code f32} (default) or {@code bf16} */
    public Param<String> precision() {
        return precision;
    }

    /** @return the param: threads per call, 0 (default) for {@code spark.task.cpus} */
    public IntParam threads() {
        return threads;
    }

    /** @return the param: {@code error} (default), {@code skip} or {@code keep} */
    public Param<String> handleInvalid() {
        return handleInvalid;
    }

    /** @return the param: whether the output is flattened (default false) */
    public BooleanParam flattenOutput() {
        return flattenOutput;
    }

    /**
     * @param value the model file
     * @return this stage
     */
    public Conv1dTransformer setModelPath(String value) {
        set(modelPath, value);
        return this;
    }

    /**
     * @param value the model file's bytes (kept, not copied)
     * @return this stage
     */
    public Conv1dTransformer setModelBytes(byte[] value) {
        set(modelBytes, value);
        return this;
    }

    /**
     * @param value the input column
     * @return this stage
     */
    public Conv1dTransformer setInputCol(String value) {
        set(inputCol, value);
        return this;
    }

    /**
     * @param value the output column
     * @return this stage
     */
    public Conv1dTransformer setOutputCol(String value) {
        set(outputCol, value);
        return this;
    }

    /**
     * @param value {@code NCW} or {@code NWC}
     * @return this stage
     */
    public Conv1dTransformer setLayout(String value) {
        set(layout, value);
        return this;
    }

    /**
     * @param value rows per network call, at least 1
     * @return this stage
     */
    public Conv1dTransformer setBatchSize(int value) {
        set(batchSize, value);
        return this;
    }

    /**
     * @param value {@code reference}, {@code onednn} or {@code onednn-1d}
     * @return this stage
     */
    public Conv1dTransformer setEngine(String value) {
        set(engine, value);
        return this;
    }

    /**
     * @param value {@code f32} or {@code bf16}
     * @return this stage
     */
    public Conv1dTransformer setPrecision(String value) {
        set(precision, value);
        return this;
    }

    /**
     * @param value threads per call, 0 for {@code spark.task.cpus}
     * @return this stage
     */
    public Conv1dTransformer setThreads(int value) {
        set(threads, value);
        return this;
    }

    /**
     * @param value {@code error}, {@code skip} or {@code keep}
     * @return this stage
     */
    public Conv1dTransformer setHandleInvalid(String value) {
        set(handleInvalid, value);
        return this;
    }

    /**
     * @param value whether the output is one {@code array<float>}
     * @return this stage
     */
    public Conv1dTransformer setFlattenOutput(boolean value) {
        set(flattenOutput, value);
        return this;
    }

    /**
     * Checks the params and the input column's type and adds the output column.
     *
     * @param schema the input's schema
     * @return it with the output column
     * @throws IllegalArgumentException naming the param that is missing, or the column that is missing, has the
     *     wrong type or already exists
     */
    @Override
    public StructType transformSchema(StructType schema) {
        if (isSet(modelPath) == isSet(modelBytes)) {
            throw new IllegalArgumentException("modelPath: set exactly one of modelPath and modelBytes ("
                    + (isSet(modelPath) ? "both are" : "neither is") + " set)");
        }
        if (!isSet(inputCol)) {
            throw new IllegalArgumentException("inputCol: not set");
        }
        String in = $(inputCol);
        if (!Arrays.asList(schema.fieldNames()).contains(in)) {
            throw new IllegalArgumentException("inputCol: column '" + in + "' does not exist. Available: "
                    + String.join(", ", schema.fieldNames()));
        }
        DataType type = schema.apply(in).dataType();
        if (!isSignal(type)) {
            throw new IllegalArgumentException("inputCol: column '" + in + "' must be of type array<float>, "
                    + "array<double>, array<array<float>> or array<array<double>> but was actually "
                    + type.catalogString());
        }
        String out = $(outputCol);
        if (Arrays.asList(schema.fieldNames()).contains(out)) {
            throw new IllegalArgumentException("outputCol: column '" + out + "' already exists");
        }
        return schema.add(new StructField(out, outputType(), true, Metadata.empty()));
    }

    private static boolean isSignal(DataType type) {
        if (!(type instanceof ArrayType a)) {
            return false;
        }
        DataType e = a.elementType() instanceof ArrayType inner ? inner.elementType() : a.elementType();
        return e.equals(DataTypes.FloatType) || e.equals(DataTypes.DoubleType);
    }

    private DataType outputType() {
        ArrayType floats = DataTypes.createArrayType(DataTypes.FloatType, false);
        return (Boolean) $(flattenOutput) ? floats : DataTypes.createArrayType(floats, false);
    }

    /**
     * Scores the dataset (lazily, like every transformation). Reads and loads the model on the driver first, so a
     * model that cannot be read or run fails here with one message instead of inside every task.
     *
     * @param dataset rows with the input column
     * @return the rows with the output column; invalid rows as {@link #handleInvalid()} says
     * @throws IllegalArgumentException naming the param or column at fault
     */
    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType out = transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        ModelBytes model = ModelBytes.of(isSet(modelBytes) ? $(modelBytes)
                : ModelFiles.read("modelPath", $(modelPath), spark.sparkContext().hadoopConfiguration()));
        NetSettings settings = settings(spark);
        Conv1dNet net = driverNet(model, settings);
        ScoreSpec spec = new ScoreSpec($(inputCol), dataset.schema().fieldIndex($(inputCol)),
                net.graph().inputChannels(), (Integer) $(batchSize), HandleInvalid.fromParam($(handleInvalid)),
                (Boolean) $(flattenOutput));
        Broadcast<byte[]> shipped = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(model.bytes());
        int signal = spec.inputIndex();
        return dataset.toDF().as(PrimitiveRows.encoder(dataset.schema(), signal))
                .mapPartitions(new PartitionScorer(shipped, model.sha256(), settings, spec),
                        PrimitiveRows.encoder(out, signal, out.fields().length - 1))
                .toDF(); // users' rows hold Spark's usual Seqs, not the scorer's primitive arrays
    }

    /** The settings the executors run with; threads from {@code spark.task.cpus} unless {@link #threads()} is set. */
    private NetSettings settings(SparkSession spark) {
        int t = (Integer) $(threads);
        if (t == 0) {
            t = TaskThreads.of(spark.sparkContext().getConf());
        }
        return new NetSettings(Engine.fromCliName($(engine)), Layout.valueOf($(layout)),
                Precision.valueOf($(precision).toUpperCase(Locale.ROOT)), t);
    }

    private String modelName() {
        return isSet(modelPath) ? "modelPath: '" + $(modelPath) + "'" : "modelBytes: the model";
    }

    private Conv1dNet driverNet(ModelBytes model, NetSettings settings) {
        try {
            return NetRegistry.net(model.sha256(), settings, model::bytes);
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(modelName() + " cannot be run by conv1d4j: " + e.getMessage(), e);
        }
    }

    /**
     * A copy with the same uid and params, plus {@code extra}.
     *
     * @param extra params to set on the copy
     * @return the copy
     */
    @Override
    public Conv1dTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** @return the reader of saved stages (what {@link org.apache.spark.ml.PipelineModel#load(String)} calls) */
    public static MLReader<Conv1dTransformer> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * Loads a stage saved with {@code write().save(path)}.
     *
     * @param path where it was saved
     * @return the stage
     */
    public static Conv1dTransformer load(String path) {
        return read().load(path);
    }
}
