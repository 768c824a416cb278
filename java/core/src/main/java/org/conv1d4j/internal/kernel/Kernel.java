package org.conv1d4j.internal.kernel;

import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.PlanReport;

import java.nio.FloatBuffer;
import java.util.Optional;

/**
 * What an engine implements. Internal: {@link org.conv1d4j.Conv1d} validates every argument and guarantees
 * that {@link #close()} is called once, after every call into the kernel has returned.
 */
public interface Kernel {
    /**
     * Runs one call on direct, native-order buffers, reading from {@code src.position()} and writing from
     * {@code dst.position()}; positions are left unchanged.
     *
     * @param src input, {@code batch * C_in * g.inWidth()} floats
     * @param dst output, {@code batch * C_out * g.outWidth()} floats
     * @param batch {@code N}
     * @param g the widths of this call
     */
    void forward(FloatBuffer src, FloatBuffer dst, int batch, Geometry g);

    /**
     * Runs one call on arrays.
     *
     * @param src input, exactly {@code batch * C_in * g.inWidth()} floats
     * @param dst output, exactly {@code batch * C_out * g.outWidth()} floats
     * @param batch {@code N}
     * @param g the widths of this call
     */
    void forward(float[] src, float[] dst, int batch, Geometry g);

    /**
     * Describes what this kernel runs for (batch, width), building it if needed.
     *
     * @param batch {@code N}
     * @param g the widths
     * @return the oneDNN plan, or empty for an engine that has none
     */
    default Optional<PlanReport> report(int batch, Geometry g) {
        return Optional.empty();
    }

    /**
     * Builds, ahead of traffic, what a call of (batch, width) runs on: its plans (those of the buffer and of the
     * array overloads) and one execution context each.
     *
     * @param batch {@code N}
     * @param g the widths
     */
    default void warmUp(int batch, Geometry g) {
    }

    /** @return how many plans this kernel has built so far (0 for an engine that has none) */
    default long plansBuilt() {
        return 0;
    }

    /** @return how many plans this kernel keeps at most ({@link Integer#MAX_VALUE} for an engine that has none) */
    default int plansKept() {
        return Integer.MAX_VALUE;
    }

    /** Frees what the kernel holds; called once. */
    void close();
}
