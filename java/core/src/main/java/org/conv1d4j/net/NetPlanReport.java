package org.conv1d4j.net;

import java.util.List;

/**
 * How the oneDNN engine runs a network for one (N, W): the primitives in order, which of the graph's nodes each
 * computes, its post-ops, the layout it writes and the kernel oneDNN chose; and the memory it needs.
 *
 * @param batch {@code N}
 * @param width {@code W}
 * @param steps the primitives, in order
 * @param arenaBytes the bytes of one execution's intermediate tensors, where tensors that never live at the same
 *     time share bytes
 * @param tensorBytes the bytes the same tensors would take one buffer each
 * @param scratchpadBytes the bytes of one execution's scratchpad (the largest primitive's)
 */
public record NetPlanReport(int batch, int width, List<Step> steps, long arenaBytes, long tensorBytes,
        long scratchpadBytes) {

    /**
     * One primitive.
     *
     * @param primitive oneDNN's primitive kind ({@code convolution_forward}, {@code reorder}, ...), or
     *     {@code zero} for a buffer zeroed before a padded copy, or {@code single-op conv} for a conv run by the
     *     single-op engine
     * @param nodes the graph's nodes it computes, empty for a reorder
     * @param detail the fused post-ops, or what a reorder converts
     * @param layout the descriptor of what it writes (dims and format, e.g. {@code [8, 256, 1, 1000] aBcd16b})
     * @param impl the implementation oneDNN chose (e.g. {@code brg_conv_fwd:avx512_core})
     * @param nanos its time in the last {@code profile}, or 0 when not profiled
     */
    public record Step(String primitive, List<String> nodes, String detail, String layout, String impl, long nanos) {
        /**
         * Copies the node list.
         *
         * @param primitive the primitive kind
         * @param nodes the graph's nodes it computes
         * @param detail post-ops or conversion
         * @param layout what it writes
         * @param impl the implementation
         * @param nanos its time, or 0
         */
        public Step {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * Copies the step list.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @param steps the primitives
     * @param arenaBytes shared intermediate bytes
     * @param tensorBytes unshared intermediate bytes
     * @param scratchpadBytes scratchpad bytes
     */
    public NetPlanReport {
        steps = List.copyOf(steps);
    }

    /** @return how many reorders run (layout conversions, and the copies of Pad and Slice) */
    public long reorders() {
        return steps.stream().filter(s -> s.primitive().equals("reorder")).count();
    }
}
