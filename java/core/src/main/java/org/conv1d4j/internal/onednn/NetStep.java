package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.memory;
import org.conv1d4j.internal.kernel.Kernel;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;

import java.util.List;

/** One thing a network's plan runs, in order, on the buffers of a {@link NetContext}. */
sealed interface NetStep permits NetStep.Run, NetStep.Zero, NetStep.SingleOp {

    /** The caller's input: its address is set on every call. */
    int CALLER_INPUT = 0;
    /** The caller's output. */
    int CALLER_OUTPUT = 1;
    /** The first buffer that lives in a context's arena. */
    int FIRST_ARENA = 2;

    /**
     * A memory an argument reads or writes: a buffer seen through a descriptor (a sub-memory's carries its offset).
     *
     * @param buffer {@link #CALLER_INPUT}, {@link #CALLER_OUTPUT} or an arena buffer
     * @param md how the primitive sees it
     */
    record View(int buffer, memory.desc md) {
    }

    /**
     * An execution argument.
     *
     * @param id oneDNN's argument index ({@code DNNL_ARG_SRC}, ...)
     * @param view the buffer, or {@code null} for a constant
     * @param constant the plan's memory (weights, bias, slopes), or {@code null} for a buffer
     */
    record Arg(int id, View view, memory constant) {
    }

    /**
     * A oneDNN primitive.
     *
     * @param kind what it is ({@code convolution_forward}, {@code reorder}, ...)
     * @param nodes the graph's nodes it computes (empty for a reorder)
     * @param detail the post-ops, or what a reorder converts
     * @param primitive the primitive
     * @param args its arguments but the scratchpad
     * @param scratchpad its scratchpad, or {@code null} when it needs none
     * @param impl the implementation oneDNN chose
     */
    record Run(String kind, List<String> nodes, String detail, dnnl_primitive primitive, List<Arg> args,
               memory.desc scratchpad, String impl) implements NetStep {
    }

    /**
     * Zeroes an arena buffer (before a padded copy is written into it).
     *
     * @param buffer the arena buffer
     * @param bytes its size
     */
    record Zero(int buffer, long bytes) implements NetStep {
    }

    /**
     * A conv on the single-op engine, for shapes whose safety rules the fused path does not repeat (edge padding,
     * one output column, a transposed conv's bias tail): plain {@code NCW} arena buffers in and out.
     *
     * @param kernel the op's oneDNN kernel
     * @param spec the op
     * @param batch {@code N}
     * @param geometry the op's geometry
     * @param src the input buffer
     * @param dst the output buffer
     * @param nodes the graph's nodes it computes
     */
    record SingleOp(Kernel kernel, Conv1dSpec spec, int batch, Geometry geometry, int src, int dst, List<String> nodes)
            implements NetStep {
    }
}
