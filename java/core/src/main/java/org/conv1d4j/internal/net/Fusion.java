package org.conv1d4j.internal.net;

import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups a network's nodes into {@link Layer}s, the same for every (N, W). A tensor is kept inside a layer only
 * where nothing else reads it and it is not the network's output:
 * <ul>
 *   <li>a {@code Pad} of zeros whose only reader is a forward conv with zero padding fixed by the model (not
 *       {@code auto_pad}) becomes part of that conv's padding;</li>
 *   <li>a {@code Slice} right after a stride-1 conv that only drops columns computed from padding becomes less
 *       padding ({@link #sliceFolds});</li>
 *   <li>a {@code BatchNormalization} right after a conv is folded into its weights and bias
 *       ({@link BatchNormFold});</li>
 *   <li>then activations, {@code PRelu} and residual {@code Add}s follow the conv as post-ops, as long as each reads
 *       the previous one's output; an {@code Add}'s other operand must exist before the conv runs.</li>
 * </ul>
 */
public final class Fusion {
    private final NetGraph graph;
    private final Map<String, Integer> readers = new HashMap<>();
    private final Map<String, NetNode> soleReader = new HashMap<>();
    private final Map<String, Integer> producedAt = new HashMap<>();

    private Fusion(NetGraph graph) {
        this.graph = graph;
        List<NetNode> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NetNode n = nodes.get(i);
            producedAt.put(n.output(), i);
            for (String in : n.inputs()) {
                readers.merge(in, 1, Integer::sum);
                soleReader.put(in, n);
            }
        }
    }

    /**
     * Fuses a network.
     *
     * @param graph the validated network
     * @return its layers, each after the layers whose outputs it reads
     */
    public static List<Layer> of(NetGraph graph) {
        return new Fusion(graph).layers();
    }

    private List<Layer> layers() {
        List<Layer> layers = new ArrayList<>();
        Set<NetNode> absorbed = new HashSet<>();
        Map<ConvNode, PadNode> padBefore = new HashMap<>();
        List<NetNode> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NetNode node = nodes.get(i);
            if (absorbed.contains(node)) {
                continue;
            }
            if (node instanceof PadNode pad && soleReader(pad.output()) instanceof ConvNode c && padFolds(pad, c)) {
                padBefore.put(c, pad);
                continue;
            }
            if (node instanceof ConvNode c) {
                layers.add(convLayer(c, i, padBefore.get(c), absorbed));
            } else {
                layers.add(new Layer.Single(node));
            }
        }
        return layers;
    }

    private Layer convLayer(ConvNode c, int index, PadNode pad, Set<NetNode> absorbed) {
        List<String> names = new ArrayList<>();
        String input = c.input();
        Conv1dSpec spec = c.spec();
        if (pad != null) {
            names.add(pad.name());
            input = pad.input();
            Padding p = spec.padding();
            spec = spec.toBuilder().padding(Padding.explicit(p.left() + pad.left(), p.right() + pad.right())).build();
        }
        names.add(c.name());
        float[] weights = c.weights();
        float[] bias = c.bias();
        String cur = c.output();
        if (soleReader(cur) instanceof SliceNode slice && sliceFolds(slice, c, spec)) {
            Padding p = spec.padding();
            int right = slice.end() < 0 ? (int) -slice.end() : 0;
            spec = spec.toBuilder().padding(Padding.explicit(p.left() - (int) slice.start(), p.right() - right)).build();
            absorbed.add(slice);
            names.add(slice.name());
            cur = slice.output();
        }
        List<NetNode> weightsFrom = new ArrayList<>(List.of(c));
        // a conv with an activation of its own computes BatchNorm(f(conv)), which does not fold
        if (spec.activation() == Activation.NONE && soleReader(cur) instanceof BatchNormNode bn) {
            weightsFrom.add(bn);
            BatchNormFold fold = BatchNormFold.of(spec, weights, bias, bn);
            spec = spec.toBuilder().bias(true).build();
            weights = fold.weights();
            bias = fold.bias();
            absorbed.add(bn);
            names.add(bn.name());
            cur = bn.output();
        }
        List<PostOp> postOps = new ArrayList<>();
        while (true) {
            NetNode r = soleReader(cur);
            PostOp op;
            if (r instanceof PointwiseNode p) {
                op = new PostOp.Eltwise(p.function(), p.alpha(), p.beta());
            } else if (r instanceof PReluNode p) {
                op = new PostOp.Prelu(p.slope());
            } else if (r instanceof AddNode a) {
                String other = a.first().equals(cur) ? a.second() : a.first();
                if (other.equals(cur) || !existsBefore(other, index)) {
                    break;
                }
                op = new PostOp.Residual(other);
            } else {
                break;
            }
            postOps.add(op);
            absorbed.add(r);
            names.add(r.name());
            cur = r.output();
        }
        ConvNode fused = new ConvNode(c.name(), input, cur, spec, weights, bias, c.autoPad(), c.outputShape());
        return new Layer.Conv(fused, postOps, names, weightsFrom);
    }

    /** @return the only node that reads {@code tensor}, or {@code null} when none, several, or it is the output */
    private NetNode soleReader(String tensor) {
        if (tensor.equals(graph.outputName()) || readers.getOrDefault(tensor, 0) != 1) {
            return null;
        }
        return soleReader.get(tensor);
    }

    private boolean existsBefore(String tensor, int index) {
        return tensor.equals(graph.inputName()) || producedAt.get(tensor) < index;
    }

    /**
     * A {@code Slice} that drops output columns a stride-1 conv computes from padding only (the causal "chomp": pads
     * {@code (p, p)}, then {@code [0, -p)}) is the conv with that much less padding: output {@code t} reads inputs
     * {@code t + k d - L}, so dropping the first {@code s} and last {@code r} columns is padding {@code L - s},
     * {@code R - r}. Only a start from the left and an end from the right (or none), within the padding, fold: they
     * do not depend on the width.
     */
    private static boolean sliceFolds(SliceNode slice, ConvNode c, Conv1dSpec spec) {
        long start = slice.start();
        long end = slice.end();
        boolean toTheEnd = end >= Integer.MAX_VALUE;
        return fixedZeroPadding(c, spec) && spec.stride() == 1 && start >= 0 && start <= spec.padding().left()
                && (toTheEnd || (end < 0 && -end <= spec.padding().right()));
    }

    private static boolean padFolds(PadNode pad, ConvNode c) {
        return pad.mode() == PaddingMode.ZEROS && fixedZeroPadding(c, c.spec());
    }

    /** A forward conv whose zero padding the model fixes (not derived from the width): padding that can change. */
    private static boolean fixedZeroPadding(ConvNode c, Conv1dSpec spec) {
        Padding.Kind kind = spec.padding().kind();
        return spec.op() == Op.CONV1D && spec.paddingMode() == PaddingMode.ZEROS && c.autoPad() == ConvNode.AutoPad.NOTSET
                && (kind == Padding.Kind.EXPLICIT || kind == Padding.Kind.VALID);
    }
}
