package org.conv1d4j.net;

import org.conv1d4j.io.InvalidInputException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, validated Conv1D network: one input {@code (N, C, W)}, nodes on 3-D tensors, one output. Build one
 * with {@link #builder(String, int)}: {@link Builder#build(String)} sorts the nodes so that each comes after what it
 * reads, keeps only those the output depends on, and checks that every name is produced once, that every input
 * exists, that there is no cycle, and every node's channel counts. Widths are checked per call by
 * {@link #outputShape(int, int)}, since most models leave {@code N} and {@code W} symbolic.
 *
 * <p>A {@link PadNode}'s pads and a {@link SliceNode}'s bounds may be shape arithmetic over other tensors' widths
 * ({@link WidthExpr}); a tensor whose width a node reads counts as one it depends on (it is kept, and sorted before
 * the node). {@link #resolve(int, int)} evaluates the arithmetic for one {@code (N, W)}.
 *
 * <p>Every problem is an {@link InvalidInputException} whose message names the node and its op.
 */
public final class NetGraph {
    /** The largest tensor, in floats, that a network may hold (Java arrays hold up to {@code 2^31 - 9}). */
    public static final long MAX_TENSOR_FLOATS = Integer.MAX_VALUE - 8;

    private final String inputName;
    private final int inputChannels;
    private final int fixedBatch;
    private final int fixedWidth;
    private final List<NetNode> nodes;
    private final String outputName;
    private final int outputChannels;
    private final Map<String, Integer> channels;

    /** Whether a node holds shape arithmetic ({@link WidthExpr}) that only an (N, W) resolves. */
    private final boolean symbolic;

    private NetGraph(Builder b, List<NetNode> sorted, String outputName, Map<String, Integer> channels) {
        this.inputName = b.inputName;
        this.inputChannels = b.inputChannels;
        this.fixedBatch = b.fixedBatch;
        this.fixedWidth = b.fixedWidth;
        this.nodes = List.copyOf(sorted);
        this.outputName = outputName;
        this.channels = Map.copyOf(channels);
        this.outputChannels = channels.get(outputName);
        this.symbolic = nodes.stream().anyMatch(NetGraph::symbolic);
    }

    /** The same network with other nodes in the same order (their shape arithmetic evaluated). */
    private NetGraph(NetGraph g, List<NetNode> resolved) {
        this.inputName = g.inputName;
        this.inputChannels = g.inputChannels;
        this.fixedBatch = g.fixedBatch;
        this.fixedWidth = g.fixedWidth;
        this.nodes = List.copyOf(resolved);
        this.outputName = g.outputName;
        this.channels = g.channels;
        this.outputChannels = g.outputChannels;
        this.symbolic = false;
    }

    /**
     * Starts a graph.
     *
     * @param inputName the name of the input tensor
     * @param inputChannels its channel count {@code C}
     * @return a builder
     * @throws IllegalArgumentException naming the argument that is impossible
     */
    public static Builder builder(String inputName, int inputChannels) {
        return new Builder(inputName, inputChannels);
    }

    /** @return the input tensor's name */
    public String inputName() {
        return inputName;
    }

    /** @return the input's channel count {@code C} */
    public int inputChannels() {
        return inputChannels;
    }

    /** @return the batch the model fixes, or 0 where it is symbolic */
    public int fixedBatch() {
        return fixedBatch;
    }

    /** @return the width the model fixes, or 0 where it is symbolic */
    public int fixedWidth() {
        return fixedWidth;
    }

    /** @return the nodes the output depends on, each after the nodes it reads */
    public List<NetNode> nodes() {
        return nodes;
    }

    /** @return the output tensor's name */
    public String outputName() {
        return outputName;
    }

    /** @return the output's channel count */
    public int outputChannels() {
        return outputChannels;
    }

    /**
     * @param tensor a tensor's name
     * @return its channel count
     * @throws IllegalArgumentException naming {@code tensor} when the graph has no such tensor
     */
    public int channelsOf(String tensor) {
        Integer c = channels.get(tensor);
        if (c == null) {
            throw new IllegalArgumentException("tensor: no tensor '" + tensor + "' in this network");
        }
        return c;
    }

    /**
     * The width of every tensor for an input of width {@code width}, in the order of {@link #nodes()} (the input's
     * first).
     *
     * @param batch {@code N}, at least 1 (and the model's, where it fixes one)
     * @param width {@code W}, at least 1 (and the model's, where it fixes one)
     * @return tensor name to width
     * @throws IllegalArgumentException naming {@code batch} or {@code width} when the network cannot run on them;
     *     a node's refusal (a shape arithmetic's value it cannot take among them) is an
     *     {@link InvalidInputException} naming it
     */
    public Map<String, Integer> widths(int batch, int width) {
        Map<String, Integer> widths = new HashMap<>();
        walk(batch, width, widths, null);
        return widths;
    }

    /**
     * @return whether a node holds shape arithmetic ({@link PadNode#symbolic()}, {@link SliceNode#symbolic()}),
     *     which {@link #resolve(int, int)} evaluates per {@code (N, W)}
     */
    public boolean symbolic() {
        return symbolic;
    }

    /**
     * This network for one {@code (N, W)}: the same nodes in the same order, each {@link PadNode} and
     * {@link SliceNode} holding shape arithmetic replaced by one with its values for those widths. The engines run
     * the result.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return a network without shape arithmetic; this one when it has none
     * @throws IllegalArgumentException as {@link #widths(int, int)}
     */
    public NetGraph resolve(int batch, int width) {
        if (!symbolic) {
            widths(batch, width);
            return this;
        }
        List<NetNode> resolved = new ArrayList<>(nodes.size());
        walk(batch, width, new HashMap<>(), resolved);
        return new NetGraph(this, resolved);
    }

    /** Computes every width into {@code widths}, and each node with its shape arithmetic evaluated into resolved. */
    private void walk(int batch, int width, Map<String, Integer> widths, List<NetNode> resolved) {
        checkDim("batch", batch, fixedBatch);
        checkDim("width", width, fixedWidth);
        widths.put(inputName, width);
        checkSize(inputName, batch, inputChannels, width);
        for (NetNode node : nodes) {
            int[] in = new int[node.inputs().size()];
            for (int i = 0; i < in.length; i++) {
                in[i] = widths.get(node.inputs().get(i));
            }
            int w;
            NetNode concrete = node;
            try {
                concrete = resolve(node, widths, batch);
                w = concrete.outputWidth(in);
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException("width: " + describe(node) + " cannot run on input width " + width
                        + (concrete == node ? "" : " (" + evaluated(node, concrete) + ")") + ": " + e.getMessage());
            }
            checkSize(node.output(), batch, channels.get(node.output()), w);
            widths.put(node.output(), w);
            if (resolved != null) {
                resolved.add(concrete);
            }
        }
    }

    private static NetNode resolve(NetNode node, Map<String, Integer> widths, int batch) {
        if (node instanceof PadNode p && p.symbolic()) {
            return p.resolve(widths::get, batch);
        }
        if (node instanceof SliceNode s && s.symbolic()) {
            return s.resolve(widths::get, batch);
        }
        return node;
    }

    /** @return how a node's shape arithmetic evaluated, e.g. {@code pads [W(a) - 5, 0] = [-1, 0]} */
    private static String evaluated(NetNode node, NetNode concrete) {
        if (node instanceof PadNode p && concrete instanceof PadNode c) {
            return "pads [" + p.leftExpr() + ", " + p.rightExpr() + "] = [" + c.left() + ", " + c.right() + "]";
        }
        SliceNode s = (SliceNode) node;
        SliceNode c = (SliceNode) concrete;
        return "slice [" + s.startExpr() + ", " + s.endExpr() + ") = [" + c.start() + ", " + c.end() + ")";
    }

    private static boolean symbolic(NetNode node) {
        return (node instanceof PadNode p && p.symbolic()) || (node instanceof SliceNode s && s.symbolic());
    }

    /** @return the tensors a node reads: its inputs, and those whose widths its shape arithmetic reads */
    private static Set<String> dependencies(NetNode node) {
        Set<String> d = new HashSet<>(node.inputs());
        if (node instanceof PadNode p) {
            d.addAll(p.widthsRead());
        } else if (node instanceof SliceNode s) {
            d.addAll(s.widthsRead());
        }
        return d;
    }

    /**
     * The output's shape for an input {@code (batch, C, width)}.
     *
     * @param batch {@code N}
     * @param width {@code W}
     * @return {@code {N, C_out, OW}}
     * @throws IllegalArgumentException as {@link #widths(int, int)}
     */
    public int[] outputShape(int batch, int width) {
        return new int[] {batch, outputChannels, widths(batch, width).get(outputName)};
    }

    private static void checkDim(String what, int v, int fixed) {
        if (v < 1) {
            throw new IllegalArgumentException(what + ": must be >= 1, got " + v);
        }
        if (fixed > 0 && v != fixed) {
            throw new IllegalArgumentException(what + ": the model fixes it to " + fixed + ", got " + v);
        }
    }

    private static void checkSize(String tensor, int batch, int c, int w) {
        if ((double) batch * c * w > MAX_TENSOR_FLOATS) {
            throw new IllegalArgumentException("width: tensor '" + tensor + "' of " + batch + " x " + c + " x " + w
                    + " exceeds 2^31-9 floats");
        }
    }

    static String describe(NetNode node) {
        return "node '" + node.name() + "' (" + node.opType() + ")";
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("NetGraph(").append(inputName).append(": C=").append(inputChannels)
                .append(" -> ").append(outputName).append(": C=").append(outputChannels).append(", ")
                .append(nodes.size()).append(" nodes)");
        for (NetNode n : nodes) {
            s.append("\n  ").append(n.opType()).append(" '").append(n.name()).append("' ").append(n.inputs())
                    .append(" -> ").append(n.output()).append(" (C=").append(channels.get(n.output())).append(')');
        }
        return s.toString();
    }

    /** Collects nodes in any order; {@link #build(String)} validates them. */
    public static final class Builder {
        private final String inputName;
        private final int inputChannels;
        private int fixedBatch;
        private int fixedWidth;
        private final List<NetNode> nodes = new ArrayList<>();

        private Builder(String inputName, int inputChannels) {
            this.inputName = NodeChecks.name("inputName", inputName);
            if (inputChannels < 1) {
                throw new IllegalArgumentException("inputChannels: must be >= 1, got " + inputChannels);
            }
            this.inputChannels = inputChannels;
        }

        /**
         * @param batch the batch the model fixes, or 0 for any
         * @return this
         */
        public Builder fixedBatch(int batch) {
            if (batch < 0) {
                throw new IllegalArgumentException("batch: must be >= 0 (0 = any), got " + batch);
            }
            this.fixedBatch = batch;
            return this;
        }

        /**
         * @param width the width the model fixes, or 0 for any
         * @return this
         */
        public Builder fixedWidth(int width) {
            if (width < 0) {
                throw new IllegalArgumentException("width: must be >= 0 (0 = any), got " + width);
            }
            this.fixedWidth = width;
            return this;
        }

        /**
         * @param node a node, in any order
         * @return this
         */
        public Builder add(NetNode node) {
            if (node == null) {
                throw new IllegalArgumentException("node: must not be null");
            }
            nodes.add(node);
            return this;
        }

        /**
         * Validates and builds.
         *
         * @param outputName the tensor the network returns
         * @return the graph
         * @throws InvalidInputException naming the node (and its op) that is wrong: a name produced twice, an input
         *     nothing produces, a cycle, channel counts that do not fit, a fixed width it cannot run on
         */
        public NetGraph build(String outputName) {
            NodeChecks.name("outputName", outputName);
            Map<String, NetNode> producer = new HashMap<>();
            for (NetNode n : nodes) {
                if (n.output().equals(inputName)) {
                    throw new InvalidInputException(describe(n) + ": writes '" + inputName + "', the network's input");
                }
                NetNode other = producer.putIfAbsent(n.output(), n);
                if (other != null) {
                    throw new InvalidInputException(describe(n) + ": output '" + n.output() + "' is also written by "
                            + describe(other));
                }
            }
            for (NetNode n : nodes) {
                for (String in : dependencies(n)) {
                    if (!in.equals(inputName) && !producer.containsKey(in)) {
                        throw new InvalidInputException(describe(n) + ": " + (n.inputs().contains(in) ? "input"
                                : "the width of") + " '" + in + "' is neither the network's input nor any node's "
                                + "output");
                    }
                }
            }
            if (!outputName.equals(inputName) && !producer.containsKey(outputName)) {
                throw new InvalidInputException("output: '" + outputName + "' is neither the input nor any node's output");
            }
            List<NetNode> sorted = sort(live(outputName, producer));
            Map<String, Integer> channels = new LinkedHashMap<>();
            channels.put(inputName, inputChannels);
            for (NetNode n : sorted) {
                int[] in = new int[n.inputs().size()];
                for (int i = 0; i < in.length; i++) {
                    in[i] = channels.get(n.inputs().get(i));
                }
                try {
                    channels.put(n.output(), n.outputChannels(in));
                } catch (IllegalArgumentException e) {
                    throw new InvalidInputException(describe(n) + ": " + e.getMessage());
                }
            }
            NetGraph g = new NetGraph(this, sorted, outputName, channels);
            if (fixedWidth > 0) {
                g.widths(Math.max(fixedBatch, 1), fixedWidth);
            }
            return g;
        }

        /**
         * The nodes the output depends on (through what they read or whose widths they read), found backwards from
         * it; a cycle among them is refused by sort.
         */
        private Set<NetNode> live(String outputName, Map<String, NetNode> producer) {
            Set<NetNode> live = new HashSet<>();
            Deque<String> todo = new ArrayDeque<>();
            todo.push(outputName);
            while (!todo.isEmpty()) {
                NetNode n = producer.get(todo.pop());
                if (n != null && live.add(n)) {
                    dependencies(n).forEach(todo::push);
                }
            }
            return live;
        }

        /** Kahn's algorithm in the order the nodes were added; what is left over lies on a cycle. */
        private List<NetNode> sort(Set<NetNode> live) {
            Map<String, List<NetNode>> readers = new HashMap<>();
            Map<NetNode, Integer> pending = new HashMap<>();
            Set<String> produced = new HashSet<>();
            for (NetNode n : nodes) {
                if (live.contains(n)) {
                    produced.add(n.output());
                }
            }
            List<NetNode> ready = new ArrayList<>();
            for (NetNode n : nodes) {
                if (!live.contains(n)) {
                    continue;
                }
                int count = 0;
                for (String in : dependencies(n)) {
                    if (produced.contains(in)) {
                        readers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                        count++;
                    }
                }
                pending.put(n, count);
                if (count == 0) {
                    ready.add(n);
                }
            }
            List<NetNode> sorted = new ArrayList<>();
            for (int i = 0; i < ready.size(); i++) {
                NetNode n = ready.get(i);
                sorted.add(n);
                for (NetNode r : readers.getOrDefault(n.output(), List.of())) {
                    if (pending.merge(r, -1, Integer::sum) == 0) {
                        ready.add(r);
                    }
                }
            }
            if (sorted.size() != live.size()) {
                for (NetNode n : nodes) {
                    if (live.contains(n) && pending.get(n) > 0) {
                        throw new InvalidInputException(describe(n) + ": lies on a cycle (it depends on its own output)");
                    }
                }
            }
            return sorted;
        }
    }
}
