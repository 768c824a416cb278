package org.conv1d4j.benchmarks.nets;

import org.conv1d4j.Conv1d;
import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.BatchNormNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PReluNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.Pointwise;
import org.conv1d4j.net.PointwiseNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.spec.Activation;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Engine;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Layout;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.Padding;
import org.conv1d4j.spec.PaddingMode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A network run the way a user of single ops would chain it by hand from arrays: one {@link Conv1d} per conv layer,
 * with what a careful user folds into it (a zero {@code Pad} before it or a {@code Slice} "chomp" after it into its
 * padding, a following BatchNorm into its weights and bias, a following activation that {@link Activation} has into
 * its spec), and every other op (residual adds, activations and norms the conv cannot take, concat, pooling) as a
 * plain Java loop between the ops. Each op converts between the caller's layout and oneDNN's; that is the cost a
 * network avoids. Intermediate arrays are planned once (an array is reused once its tensor is dead; element-wise
 * ops run in place where their input dies), so steady-state calls allocate nothing.
 *
 * <p>The network is read from the same ONNX bytes as the other contenders (through conv1d4j-onnx's importer).
 */
public final class ChainedOps implements NetContender {
    private final List<Runnable> steps = new ArrayList<>();
    private final List<Conv1d> ops = new ArrayList<>();
    private final float[] output;
    private final int convs;

    /**
     * @param onnx the model's bytes
     * @param engine the engine of the single ops
     * @param layout the layout of the input, the output and every intermediate array
     * @param input {@code N * C * W} floats in that layout (read on every call, never written)
     * @param batch {@code N}
     * @param width {@code W}
     * @throws UnsupportedOperationException for a node this chain does not implement (none of {@link NetModel#all()})
     */
    public ChainedOps(byte[] onnx, Engine engine, Layout layout, float[] input, int batch, int width) {
        NetGraph graph = NetModel.graph(onnx);
        Plan plan = new Plan(graph, engine, layout, batch, width, input);
        this.output = plan.array(graph.outputName());
        this.convs = (int) graph.nodes().stream().filter(ConvNode.class::isInstance).count();
    }

    @Override
    public void run() {
        for (Runnable s : steps) {
            s.run();
        }
    }

    @Override
    public float[] output() {
        return output;
    }

    /** @return how many single ops run, against the network's conv count */
    public String describe() {
        return ops.size() + " Conv1d ops for " + convs + " convs, " + (steps.size() - ops.size()) + " Java steps";
    }

    @Override
    public void close() {
        for (Conv1d op : ops) {
            op.close();
        }
    }

    /** What to fuse into each conv, then the steps and their arrays. */
    private final class Plan {
        private final NetGraph graph;
        private final Engine engine;
        private final Layout layout;
        private final int batch;
        private final Map<String, Integer> widths;
        private final Map<String, Integer> readers = new HashMap<>();
        private final Map<String, NetNode> producers = new HashMap<>();
        private final Set<NetNode> absorbed = new HashSet<>();
        private final Map<String, float[]> arrays = new HashMap<>();
        private final Map<String, Integer> lastUse = new HashMap<>();
        private final Map<Integer, ArrayDeque<float[]>> free = new HashMap<>();
        private final String input;

        Plan(NetGraph graph, Engine engine, Layout layout, int batch, int width, float[] in) {
            this.graph = graph;
            this.engine = engine;
            this.layout = layout;
            this.batch = batch;
            this.widths = graph.widths(batch, width);
            this.input = graph.inputName();
            arrays.put(input, in);
            for (NetNode n : graph.nodes()) {
                producers.put(n.output(), n);
                for (String i : n.inputs()) {
                    readers.merge(i, 1, Integer::sum);
                }
            }
            readers.merge(graph.outputName(), 1, Integer::sum);
            List<NetNode> kept = new ArrayList<>();
            IdentityHashMap<NetNode, Fused> fused = new IdentityHashMap<>();
            for (NetNode n : graph.nodes()) {
                if (n instanceof ConvNode c) {
                    fused.put(c, fuse(c));
                }
            }
            for (NetNode n : graph.nodes()) {
                if (!absorbed.contains(n)) {
                    kept.add(n);
                }
            }
            for (int i = 0; i < kept.size(); i++) {
                NetNode n = kept.get(i);
                for (String t : fused.containsKey(n) ? List.of(fused.get(n).input()) : n.inputs()) {
                    lastUse.put(t, i);
                }
            }
            lastUse.put(graph.outputName(), Integer.MAX_VALUE);
            for (int i = 0; i < kept.size(); i++) {
                NetNode n = kept.get(i);
                if (fused.containsKey(n)) {
                    emitConv(fused.get(n), i);
                } else {
                    emit(n, i);
                }
            }
        }

        float[] array(String tensor) {
            return arrays.get(tensor);
        }

        private int readersOf(String t) {
            return readers.getOrDefault(t, 0);
        }

        /** The sole node that reads {@code t}, or null when several do or it is the output. */
        private NetNode soleReader(String t) {
            if (readersOf(t) != 1) {
                return null;
            }
            for (NetNode n : graph.nodes()) {
                if (n.inputs().contains(t)) {
                    return n;
                }
            }
            return null;
        }

        private Fused fuse(ConvNode c) {
            String in = c.input();
            Conv1dSpec spec = c.specFor(widths.get(in));
            if (spec.op() != Op.CONV1D) {
                throw new UnsupportedOperationException("chained ops: node '" + c.name() + "' is a ConvTranspose");
            }
            float[] w = c.weights();
            float[] b = c.bias();
            int inWidth = widths.get(in);
            Geometry g = spec.geometry(inWidth);
            int left = g.padLeft();
            int right = g.padRight();
            if (producers.get(in) instanceof PadNode p && p.mode() == PaddingMode.ZEROS && readersOf(in) == 1) {
                absorbed.add(p);
                in = p.input();
                inWidth = widths.get(in);
                left += p.left();
                right += p.right();
            }
            String out = c.output();
            if (spec.stride() == 1 && soleReader(out) instanceof SliceNode s) {
                int ow = widths.get(out);
                int cutLeft = s.first(ow);
                int cutRight = ow - cutLeft - widths.get(s.output());
                if (cutLeft <= left && cutRight <= right) {
                    absorbed.add(s);
                    left -= cutLeft;
                    right -= cutRight;
                    out = s.output();
                }
            }
            if (soleReader(out) instanceof BatchNormNode bn) {
                absorbed.add(bn);
                b = foldBatchNorm(bn, w, b, spec.outChannels());
                out = bn.output();
            }
            Conv1dSpec.Builder sb = spec.toBuilder().layout(layout).padding(Padding.explicit(left, right))
                    .bias(b != null);
            NetNode next = soleReader(out);
            if (next instanceof PointwiseNode p && activation(p) != null) {
                absorbed.add(p);
                sb.activation(activation(p), p.function() == Pointwise.CLIP ? p.beta() : p.alpha());
                out = p.output();
            } else if (next instanceof PReluNode p && p.slope().length == 1) {
                absorbed.add(p);
                sb.activation(Activation.LEAKY_RELU, p.slope()[0]);
                out = p.output();
            }
            return new Fused(c, sb.build(), w, b, in, inWidth, out);
        }

        /** Scales {@code w} in place per output channel (OIW); returns the new bias. */
        private float[] foldBatchNorm(BatchNormNode bn, float[] w, float[] b, int cout) {
            float[] scale = bn.scale();
            float[] beta = bn.bias();
            float[] mean = bn.mean();
            float[] var = bn.variance();
            float[] nb = new float[cout];
            int per = w.length / cout;
            for (int o = 0; o < cout; o++) {
                double s = scale[o] / Math.sqrt(var[o] + bn.epsilon());
                for (int i = o * per; i < (o + 1) * per; i++) {
                    w[i] = (float) (w[i] * s);
                }
                nb[o] = (float) (((b == null ? 0 : b[o]) - mean[o]) * s + beta[o]);
            }
            return nb;
        }

        private Activation activation(PointwiseNode p) {
            return switch (p.function()) {
                case RELU -> Activation.RELU;
                case LEAKY_RELU -> Activation.LEAKY_RELU;
                case ELU -> Activation.ELU;
                case TANH -> Activation.TANH;
                case SIGMOID -> Activation.SIGMOID;
                case GELU -> Activation.GELU_ERF;
                case GELU_TANH -> Activation.GELU_TANH;
                case SILU -> Activation.SWISH;
                case CLIP -> p.alpha() == 0 ? Activation.CLIP : null;
                case HARD_SIGMOID, HARD_SWISH -> null;
            };
        }

        /** The array of a new tensor: a dead one's of the same size, or a new one. */
        private float[] take(String tensor, int length) {
            ArrayDeque<float[]> q = free.get(length);
            float[] a = q == null || q.isEmpty() ? new float[length] : q.pop();
            arrays.put(tensor, a);
            return a;
        }

        /** Returns the arrays of the tensors whose last reader is step {@code i} (never the caller's input). */
        private void release(List<String> tensors, int i, float[] kept) {
            for (String t : new HashSet<>(tensors)) {
                float[] a = arrays.get(t);
                if (lastUse.get(t) == i && !t.equals(input) && a != kept) {
                    free.computeIfAbsent(a.length, k -> new ArrayDeque<>()).push(a);
                }
            }
        }

        private int length(String tensor) {
            return batch * graph.channelsOf(tensor) * widths.get(tensor);
        }

        private void emitConv(Fused f, int i) {
            Conv1d op = Conv1d.create(f.spec, f.weights, f.bias, engine);
            ops.add(op);
            float[] x = arrays.get(f.input);
            float[] y = take(f.output, length(f.output));
            int w = f.inWidth;
            steps.add(() -> op.forward(x, y, batch, w));
            release(List.of(f.input), i, y);
        }

        /** The output array of an element-wise step: its input's, where the input dies here. */
        private float[] inPlace(String in, String out, int i) {
            float[] a = arrays.get(in);
            if (lastUse.get(in) == i && !in.equals(input)) {
                arrays.put(out, a);
                return a;
            }
            return take(out, length(out));
        }

        private void emit(NetNode n, int i) {
            float[] y;
            if (n instanceof BatchNormNode bn) {
                y = emitBatchNorm(bn, i);
            } else if (n instanceof PointwiseNode p) {
                float[] x = arrays.get(p.input());
                y = inPlace(p.input(), p.output(), i);
                steps.add(() -> JavaOps.pointwise(x, y, p.function(), p.alpha(), p.beta()));
            } else if (n instanceof PReluNode p) {
                float[] x = arrays.get(p.input());
                y = inPlace(p.input(), p.output(), i);
                float[] slope = p.slope();
                int c = graph.channelsOf(p.output());
                int w = widths.get(p.output());
                steps.add(() -> JavaOps.prelu(x, y, slope, layout, batch, c, w));
            } else if (n instanceof AddNode a) {
                float[] x0 = arrays.get(a.first());
                float[] x1 = arrays.get(a.second());
                y = inPlace(a.first(), a.output(), i);
                steps.add(() -> JavaOps.add(x0, x1, y));
            } else if (n instanceof PadNode p && p.mode() == PaddingMode.ZEROS) {
                y = emitWindow(p.input(), p.output(), -p.left());
            } else if (n instanceof SliceNode s) {
                y = emitWindow(s.input(), s.output(), s.first(widths.get(s.input())));
            } else if (n instanceof ConcatNode cat) {
                y = emitConcat(cat);
            } else if (n instanceof GlobalPoolNode gp) {
                float[] x = arrays.get(gp.input());
                y = take(gp.output(), length(gp.output()));
                int c = graph.channelsOf(gp.output());
                int wi = widths.get(gp.input());
                steps.add(() -> JavaOps.globalPool(x, y, gp.max(), layout, batch, c, wi));
            } else {
                throw new UnsupportedOperationException("chained ops: node '" + n.name() + "' (" + n.opType()
                        + ") is not implemented");
            }
            release(n.inputs(), i, y);
        }

        private float[] emitBatchNorm(BatchNormNode bn, int i) {
            float[] x = arrays.get(bn.input());
            float[] y = inPlace(bn.input(), bn.output(), i);
            int c = graph.channelsOf(bn.output());
            int w = widths.get(bn.output());
            float[] a = new float[c];
            float[] s = new float[c];
            for (int k = 0; k < c; k++) {
                double inv = bn.scale()[k] / Math.sqrt(bn.variance()[k] + bn.epsilon());
                a[k] = (float) inv;
                s[k] = (float) (bn.bias()[k] - bn.mean()[k] * inv);
            }
            steps.add(() -> JavaOps.scaleShift(x, y, a, s, layout, batch, c, w));
            return y;
        }

        /** A zero {@code Pad} (negative offset) or a {@code Slice} (its first position) along W. */
        private float[] emitWindow(String in, String out, int offset) {
            float[] x = arrays.get(in);
            float[] y = take(out, length(out));
            int wi = widths.get(in);
            int w = widths.get(out);
            int c = graph.channelsOf(out);
            steps.add(() -> JavaOps.window(x, wi, y, w, offset, layout, batch, c));
            return y;
        }

        private float[] emitConcat(ConcatNode cat) {
            float[][] xs = new float[cat.inputs().size()][];
            int[] cs = new int[xs.length];
            for (int k = 0; k < cs.length; k++) {
                xs[k] = arrays.get(cat.inputs().get(k));
                cs[k] = graph.channelsOf(cat.inputs().get(k));
            }
            float[] y = take(cat.output(), length(cat.output()));
            int w = widths.get(cat.output());
            steps.add(() -> JavaOps.concat(xs, cs, y, layout, batch, w));
            return y;
        }
    }

    /** A conv with what was folded into it. */
    // the arrays are the layer's parameters, built for it and never compared
    @SuppressWarnings("ArrayRecordComponent")
    private record Fused(ConvNode node, Conv1dSpec spec, float[] weights, float[] bias, String input, int inWidth,
            String output) {
    }
}
