package org.conv1d4j.onnx;

import org.conv1d4j.onnx.proto.Onnx.GraphProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's nodes as a checked graph: every output written once (and never an initializer's or the input's name),
 * every input written by a node, an initializer or the graph input, no cycle. Gives the nodes in an order where
 * each comes after what it reads, and who reads each tensor (for the pattern matcher).
 */
final class ModelGraph {
    final List<NodeProto> order;
    private final Map<String, List<NodeProto>> readers = new HashMap<>();
    private final String graphOutput;

    ModelGraph(GraphProto g, Set<String> sources, String graphOutput) {
        this.graphOutput = graphOutput;
        int count = g.getNodeCount();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < count; i++) {
            NodeProto n = g.getNode(i);
            if (n.getOpType().isEmpty()) {
                throw Refusal.node(n, "has no op_type");
            }
            if (n.getOutputCount() == 0) {
                throw Refusal.node(n, "has no output");
            }
            for (String out : n.getOutputList()) {
                if (out.isEmpty()) {
                    continue;
                }
                if (sources.contains(out)) {
                    throw Refusal.node(n, "writes '" + Refusal.clip(out) + "', which is an initializer or the input");
                }
                Integer other = producer.putIfAbsent(out, i);
                if (other != null) {
                    throw Refusal.node(n, "writes '" + Refusal.clip(out) + "', which "
                            + Refusal.describe(g.getNode(other)) + " writes too");
                }
            }
        }
        int[] pending = new int[count];
        List<List<Integer>> next = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            next.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            NodeProto n = g.getNode(i);
            for (String in : n.getInputList()) {
                if (in.isEmpty()) {
                    continue;
                }
                readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                Integer p = producer.get(in);
                if (p != null) {
                    next.get(p).add(i);
                    pending[i]++;
                } else if (!sources.contains(in)) {
                    throw Refusal.node(n, "input '" + Refusal.clip(in)
                            + "' is not written by any node, initializer or graph input");
                }
            }
        }
        List<Integer> ready = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<NodeProto> sorted = new ArrayList<>(count);
        for (int r = 0; r < ready.size(); r++) {
            int i = ready.get(r);
            sorted.add(g.getNode(i));
            for (int j : next.get(i)) {
                if (--pending[j] == 0) {
                    ready.add(j);
                }
            }
        }
        if (sorted.size() != count) {
            for (int i = 0; i < count; i++) {
                if (pending[i] > 0) {
                    throw Refusal.node(g.getNode(i), "lies on a cycle (it depends on its own output)");
                }
            }
        }
        if (!graphOutput.isEmpty() && !producer.containsKey(graphOutput) && !sources.contains(graphOutput)) {
            throw Refusal.model("the output '" + Refusal.clip(graphOutput) + "' is not written by any node");
        }
        this.order = sorted;
    }

    /** @return the one node that reads {@code tensor}, or null when it has other readers or is the output */
    NodeProto soleReader(String tensor) {
        List<NodeProto> r = readers.getOrDefault(tensor, List.of());
        if (r.size() != 1 || tensor.equals(graphOutput)) {
            return null;
        }
        return r.get(0);
    }

    /** @return whether anything reads {@code tensor} (a node, or the graph as its output) */
    boolean isRead(String tensor) {
        return readers.containsKey(tensor) || tensor.equals(graphOutput);
    }
}
