package org.conv1d4j.net;

import java.util.List;

/**
 * A node that reads one tensor. By default it keeps the input's channels and width; nodes that change either
 * say how.
 */
public sealed interface SingleInputNode extends NetNode permits ConvNode, BatchNormNode, PointwiseNode, PReluNode,
        PadNode, SliceNode, PoolNode, GlobalPoolNode {

    /** @return the name of the tensor it reads */
    String input();

    @Override
    default List<String> inputs() {
        return List.of(input());
    }

    @Override
    default int outputChannels(int... inputChannels) {
        return NodeChecks.oneInput(inputChannels, 1);
    }

    @Override
    default int outputWidth(int... inputWidths) {
        return NodeChecks.oneInput(inputWidths, 1);
    }
}
