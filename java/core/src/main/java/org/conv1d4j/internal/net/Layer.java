package org.conv1d4j.internal.net;

import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetNode;

import java.util.List;

/**
 * One unit of a fused network ({@link Fusion}): a conv with what was folded into it and the element-wise work that
 * follows it, or a node that runs on its own.
 */
public sealed interface Layer permits Layer.Conv, Layer.Single {

    /** @return the names of the graph's nodes this layer computes, in order */
    List<String> nodes();

    /** @return the tensor this layer writes */
    String output();

    /**
     * A conv that runs as one primitive: a {@code Pad} of zeros before it folded into its padding, a
     * {@code BatchNormalization} after it folded into its weights and bias, and then its post-ops.
     *
     * @param conv the conv to run, with the folded padding, weights and bias, reading the first node's input and
     *     writing the last node's output
     * @param postOps what follows the conv, in order
     * @param nodes the graph's nodes it computes
     * @param weightsFrom the graph's conv node and the {@code BatchNormalization} node folded into it, if any: what
     *     the weights and bias are computed from, the same in every fusion of the graph (a graph with shape
     *     arithmetic is fused per resolved (N, W), and its convs' native weights are shared by this key)
     */
    record Conv(ConvNode conv, List<PostOp> postOps, List<String> nodes, List<NetNode> weightsFrom) implements Layer {
        /**
         * Copies the lists.
         *
         * @param conv the conv to run
         * @param postOps what follows the conv, in order
         * @param nodes the graph's nodes it computes
         * @param weightsFrom the graph's conv node and the {@code BatchNormalization} folded into it, if any
         */
        public Conv {
            postOps = List.copyOf(postOps);
            nodes = List.copyOf(nodes);
            weightsFrom = List.copyOf(weightsFrom);
        }

        @Override
        public String output() {
            return conv.output();
        }
    }

    /**
     * A node that runs as it is.
     *
     * @param node the node
     */
    record Single(NetNode node) implements Layer {
        @Override
        public List<String> nodes() {
            return List.of(node.name());
        }

        @Override
        public String output() {
            return node.output();
        }
    }
}
