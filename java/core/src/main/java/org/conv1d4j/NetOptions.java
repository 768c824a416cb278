package org.conv1d4j;

import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;
import org.conv1d4j.spec.WidthBuckets;

/**
 * How a {@link Conv1dNet} runs.
 *
 * @param engine the implementation: {@link Engine#ONEDNN_2D} (the default: the fused oneDNN chain on height-1 2D
 *     descriptors), {@link Engine#ONEDNN_1D} (the same on oneDNN's 1D descriptors) or {@link Engine#REFERENCE}
 *     (plain Java, node by node, the oracle)
 * @param layout the layout of the caller's input and output: {@link Layout#NCW} (ONNX's) or {@link Layout#NWC}
 * @param threadsPerCall OpenMP threads one call uses, 0 for OpenMP's default (all cores); set it to the cores a
 *     caller's thread may use, e.g. Spark's {@code spark.task.cpus}, so that concurrent calls do not oversubscribe
 * @param precision what the oneDNN engines compute and keep the tensors between primitives in:
 *     {@link Precision#F32} (default) or {@link Precision#BF16} (the caller's input and output stay float32; only the
 *     ends convert); the reference computes those in float32 with double sums. {@link Precision#INT8} (set with
 *     {@link #withInt8(NetCalibration)}): every conv quantizes its input tensor to u8 with that tensor's calibrated
 *     scale and zero point and its (BatchNorm-folded) weights to s8 per output channel, sums in int32 and applies
 *     bias, post-ops and the residual in float32; a tensor read only by int8 convs is written in u8 by the conv that
 *     makes it, the others stay float32. The reference engine then computes the same int8 arithmetic in Java, the
 *     int8 oracle.
 * @param calibration what an int8 network is calibrated on; required with int8, {@code null} otherwise
 * @param widthBuckets the oneDNN engines' width buckets: {@link WidthBuckets#exact()} (the default) plans every
 *     width; otherwise a call of width {@code W} runs on the plan of {@code bucket(W)}, fed a zero-tailed copy of
 *     the input, its output cropped, wherever that computes the same output columns (causal networks and networks
 *     of {@code valid} convs; see the README), and on its own width's plan elsewhere
 */
public record NetOptions(Engine engine, Layout layout, int threadsPerCall, Precision precision,
                         NetCalibration calibration, WidthBuckets widthBuckets) {

    /**
     * Checks the arguments.
     *
     * @param engine the implementation
     * @param layout the layout of the caller's input and output
     * @param threadsPerCall OpenMP threads per call, 0 for OpenMP's default
     * @param precision what the oneDNN engines compute in
     * @param calibration what an int8 network is calibrated on: required with int8, else null
     * @param widthBuckets the width buckets, {@link WidthBuckets#exact()} for none
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetOptions {
        if (engine == null) {
            throw new IllegalArgumentException("engine: must not be null");
        }
        if (layout == null) {
            throw new IllegalArgumentException("layout: must not be null");
        }
        if (threadsPerCall < 0 || threadsPerCall > 1024) {
            throw new IllegalArgumentException("threadsPerCall: must be 0 (all) or 1..1024, got " + threadsPerCall);
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision: must not be null");
        }
        if ((precision == Precision.INT8) != (calibration != null)) {
            throw new IllegalArgumentException(precision == Precision.INT8
                    ? "calibration: an int8 network needs one, e.g. withInt8(NetCalibration.of(samples, n, w))"
                    : "calibration: only an int8 network is calibrated; the precision is " + precision);
        }
        if (widthBuckets == null) {
            throw new IllegalArgumentException("widthBuckets: must not be null (WidthBuckets.exact() for none)");
        }
    }

    /**
     * Options with exact widths.
     *
     * @param engine the implementation
     * @param layout the layout of the caller's input and output
     * @param threadsPerCall OpenMP threads per call, 0 for OpenMP's default
     * @param precision what the oneDNN engines compute in
     * @param calibration what an int8 network is calibrated on: required with int8, else null
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetOptions(Engine engine, Layout layout, int threadsPerCall, Precision precision,
                      NetCalibration calibration) {
        this(engine, layout, threadsPerCall, precision, calibration, WidthBuckets.exact());
    }

    /**
     * Options without int8.
     *
     * @param engine the implementation
     * @param layout the layout of the caller's input and output
     * @param threadsPerCall OpenMP threads per call, 0 for OpenMP's default
     * @param precision what the oneDNN engines compute in, float32 or bf16
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetOptions(Engine engine, Layout layout, int threadsPerCall, Precision precision) {
        this(engine, layout, threadsPerCall, precision, null);
    }

    /**
     * Options in float32.
     *
     * @param engine the implementation
     * @param layout the layout of the caller's input and output
     * @param threadsPerCall OpenMP threads per call, 0 for OpenMP's default
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetOptions(Engine engine, Layout layout, int threadsPerCall) {
        this(engine, layout, threadsPerCall, Precision.F32);
    }

    /**
     * Options with OpenMP's default thread count.
     *
     * @param engine the implementation
     * @param layout the layout of the caller's input and output
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public NetOptions(Engine engine, Layout layout) {
        this(engine, layout, 0, Precision.F32);
    }

    /** @return the oneDNN 2D engine on NCW data in float32 with OpenMP's default thread count */
    public static NetOptions defaults() {
        return new NetOptions(Engine.ONEDNN_2D, Layout.NCW, 0, Precision.F32);
    }

    /**
     * @param e the engine
     * @return these options with that engine
     */
    public NetOptions withEngine(Engine e) {
        return new NetOptions(e, layout, threadsPerCall, precision, calibration, widthBuckets);
    }

    /**
     * @param l the layout of input and output
     * @return these options with that layout
     */
    public NetOptions withLayout(Layout l) {
        return new NetOptions(engine, l, threadsPerCall, precision, calibration, widthBuckets);
    }

    /**
     * @param threads OpenMP threads per call, 0 for OpenMP's default
     * @return these options with that thread count
     */
    public NetOptions withThreadsPerCall(int threads) {
        return new NetOptions(engine, layout, threads, precision, calibration, widthBuckets);
    }

    /**
     * @param p what the oneDNN engines compute in (int8 needs a calibration: {@link #withInt8(NetCalibration)})
     * @return these options with that precision
     */
    public NetOptions withPrecision(Precision p) {
        return new NetOptions(engine, layout, threadsPerCall, p, p == Precision.INT8 ? calibration : null,
                widthBuckets);
    }

    /**
     * @param c what the network is calibrated on
     * @return these options computing in {@link Precision#INT8} with that calibration
     * @throws IllegalArgumentException when {@code c} is null
     */
    public NetOptions withInt8(NetCalibration c) {
        if (c == null) {
            throw new IllegalArgumentException("calibration: must not be null");
        }
        return new NetOptions(engine, layout, threadsPerCall, Precision.INT8, c, widthBuckets);
    }

    /**
     * @param rule the width buckets ({@link WidthBuckets#defaults()}, any rule, or {@link WidthBuckets#exact()})
     * @return these options with those width buckets
     * @throws IllegalArgumentException when {@code rule} is null
     */
    public NetOptions withWidthBuckets(WidthBuckets rule) {
        return new NetOptions(engine, layout, threadsPerCall, precision, calibration, rule);
    }
}
