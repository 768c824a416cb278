package org.conv1d4j.spark;

import org.conv1d4j.NetOptions;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Precision;

import java.io.Serializable;

/**
 * How the executors run a network: the {@link NetOptions} (engine, layout, threads per call, precision). Shipped to
 * the executors with each task, so it is {@link Serializable}.
 *
 * @param engine the engine the network runs on
 * @param layout the layout of the input column's signals and of the output column
 * @param precision what a oneDNN engine computes in
 * @param threads threads one call may use: a task's {@code spark.task.cpus}, so tasks times threads never exceeds
 *     the executor's cores
 */
record NetSettings(Engine engine, Layout layout, Precision precision, int threads) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks the arguments.
     *
     * @param engine the engine the network runs on
     * @param layout the layout of the signals and outputs
     * @param precision what a oneDNN engine computes in
     * @param threads threads one call may use, at least 1
     * @throws IllegalArgumentException naming the argument that is null or out of range
     */
    public NetSettings {
        if (engine == null) {
            throw new IllegalArgumentException("engine: must not be null");
        }
        if (layout == null) {
            throw new IllegalArgumentException("layout: must not be null");
        }
        if (precision == null) {
            throw new IllegalArgumentException("precision: must not be null");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: must be at least 1, got " + threads);
        }
    }

    /** @return the options a {@link org.conv1d4j.Conv1dNet} is loaded with */
    public NetOptions toOptions() {
        return new NetOptions(engine, layout, threads, precision);
    }
}
