package org.conv1d4j.net;

import java.util.List;

/**
 * One node of a {@link NetGraph}: an op on 3-D tensors {@code (N, C, W)}, W the last axis, reading the tensors named
 * by {@link #inputs()} and writing the one named by {@link #output()}. Nodes are immutable and check their own
 * attributes when built; the graph checks how they connect and their channel counts. Shapes depend only on the
 * inputs' channel counts ({@link #outputChannels(int...)}) and widths ({@link #outputWidth(int...)}); the batch
 * {@code N} passes through every node.
 */
public sealed interface NetNode permits SingleInputNode, AddNode, ConcatNode {

    /** @return the node's name, as the model names it (used in every message about it) */
    String name();

    /** @return the op as ONNX names it, e.g. {@code Conv} or {@code BatchNormalization} */
    String opType();

    /** @return the names of the tensors it reads, in order */
    List<String> inputs();

    /** @return the name of the tensor it writes */
    String output();

    /**
     * The output's channel count.
     *
     * @param inputChannels the channel count of each input, in the order of {@link #inputs()}
     * @return {@code C} of the output
     * @throws IllegalArgumentException naming {@code channels} when the inputs do not fit the node
     */
    int outputChannels(int... inputChannels);

    /**
     * The output's width.
     *
     * @param inputWidths the width of each input, in the order of {@link #inputs()}
     * @return {@code W} of the output
     * @throws IllegalArgumentException naming {@code width} when the node cannot run on those widths
     */
    int outputWidth(int... inputWidths);
}
