package org.conv1d4j;

import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

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
 *     ends convert); the reference always computes in float32 with double sums
 */
public record NetOptions(Engine engine, Layout layout, int threadsPerCall, Precision precision) {

    /**
     * Checks the arguments.
     *
     * @param engine the implementation
     * @param layout the layout of the caller's input and output
     * @param threadsPerCall OpenMP threads per call, 0 for OpenMP's default
     * @param precision what the oneDNN engines compute in
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
        return new NetOptions(e, layout, threadsPerCall, precision);
    }

    /**
     * @param l the layout of input and output
     * @return these options with that layout
     */
    public NetOptions withLayout(Layout l) {
        return new NetOptions(engine, l, threadsPerCall, precision);
    }

    /**
     * @param threads OpenMP threads per call, 0 for OpenMP's default
     * @return these options with that thread count
     */
    public NetOptions withThreadsPerCall(int threads) {
        return new NetOptions(engine, layout, threads, precision);
    }

    /**
     * @param p what the oneDNN engines compute in
     * @return these options with that precision
     */
    public NetOptions withPrecision(Precision p) {
        return new NetOptions(engine, layout, threadsPerCall, p);
    }
}
