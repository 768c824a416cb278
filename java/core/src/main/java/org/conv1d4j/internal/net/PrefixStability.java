package org.conv1d4j.internal.net;

import org.conv1d4j.net.AddNode;
import org.conv1d4j.net.ConcatNode;
import org.conv1d4j.net.ConvNode;
import org.conv1d4j.net.GlobalPoolNode;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.net.NetNode;
import org.conv1d4j.net.PadNode;
import org.conv1d4j.net.PoolNode;
import org.conv1d4j.net.SingleInputNode;
import org.conv1d4j.net.SliceNode;
import org.conv1d4j.spec.Conv1dSpec;
import org.conv1d4j.spec.Geometry;
import org.conv1d4j.spec.Op;
import org.conv1d4j.spec.PaddingMode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a network run on a wider input, {@code W' >= W} columns whose columns from {@code W} on hold anything,
 * computes the first {@code OW(W)} output columns exactly as a run on the {@code W} columns does: then a call of
 * width {@code W} may run on the plan of a width bucket {@code W'} and crop its output. Pure Java.
 *
 * <p>For each tensor it tracks the first column {@code f} from which the wide run may differ from the exact one,
 * at most the tensor's exact width (past it the exact run's readers see padding): {@code W} for the input; a conv
 * or pool output column is safe while its window ends before the input's {@code f} (the exact run's right padding
 * lies beyond {@code f} too, so a real column that reads padding is not safe); a transposed conv's from
 * {@code f * S - L}; a slice shifts {@code f} by its start, a pad by its left side; a global pool is safe only
 * where the widths agree; adds and concats take the smaller {@code f}. The left side of every window, pad and
 * slice must be the same at both widths (a {@code SAME} pad's split may depend on the width). The run is exact
 * where the output's {@code f} reaches {@code OW(W)}: causal networks (a TCN's left pads and chomps) and
 * networks of {@code valid} convs (wav2vec 2.0's feature encoder) are; {@code same}-padded ones are not.
 */
public final class PrefixStability {
    private PrefixStability() {
    }

    /**
     * @param graph the network
     * @param batch {@code N}
     * @param width the call's width {@code W}
     * @param wide the wider width {@code W'} to run it on
     * @return {@code {OW(W), OW(W')}} where the first {@code OW(W)} output columns of a run on {@code W'} columns are
     *     those of a run on {@code W}, else {@code null}
     * @throws IllegalArgumentException as {@link NetGraph#widths(int, int)}, when the network cannot take a width
     */
    public static int[] outputWidths(NetGraph graph, int batch, int width, int wide) {
        NetGraph exact = graph.resolve(batch, width);
        NetGraph bucket = graph.resolve(batch, wide);
        Map<String, Integer> we = graph.widths(batch, width);
        Map<String, Integer> wb = graph.widths(batch, wide);
        Map<String, Integer> first = new HashMap<>();
        first.put(graph.inputName(), width);
        List<NetNode> nodes = exact.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            NetNode e = nodes.get(i);
            NetNode b = bucket.nodes().get(i);
            int f = Integer.MAX_VALUE;
            for (String in : e.inputs()) {
                f = Math.min(f, first.get(in));
            }
            int safe;
            if (e instanceof AddNode || e instanceof ConcatNode) {
                safe = f;
            } else {
                String in = ((SingleInputNode) e).input();
                safe = single(e, b, f, we.get(in), wb.get(in));
            }
            if (safe < 0) {
                return null;
            }
            // beyond its exact width a tensor is the exact run's padding, whatever the wide run holds there
            first.put(e.output(), Math.min(safe, we.get(e.output())));
        }
        int out = we.get(graph.outputName());
        return first.get(graph.outputName()) >= out ? new int[] {out, wb.get(graph.outputName())} : null;
    }

    /** The first column of a single-input node's output that may differ, or -1 where the left sides differ. */
    private static int single(NetNode e, NetNode b, int f, int inExact, int inWide) {
        if (e instanceof ConvNode ce) {
            Conv1dSpec se = ce.specFor(inExact);
            Geometry ge = se.geometry(inExact);
            Geometry gb = ((ConvNode) b).specFor(inWide).geometry(inWide);
            if (ge.padLeft() != gb.padLeft()) {
                return -1;
            }
            if (se.op() == Op.CONV_TRANSPOSE1D) {
                return clampedColumn((long) f * se.stride() - ge.padLeft());
            }
            return windowed(f, ge.effectiveKernel(), se.stride(), ge.padLeft());
        }
        if (e instanceof PoolNode p) {
            return windowed(f, p.effectiveKernel(), p.stride(), p.padLeft());
        }
        if (e instanceof GlobalPoolNode) {
            return f >= inExact && inExact == inWide ? 1 : 0;
        }
        if (e instanceof SliceNode se) {
            int start = se.first(inExact);
            return start != ((SliceNode) b).first(inWide) ? -1 : Math.max(0, f - start);
        }
        if (e instanceof PadNode pe) {
            return pad(pe, (PadNode) b, f, inExact, inWide);
        }
        return f; // pointwise: BatchNorm, activations, PReLU
    }

    /** Windows of {@code ke} columns every {@code stride} from {@code -left}: safe while the window ends before f. */
    private static int windowed(int f, int ke, int stride, int left) {
        long t = (long) f - ke + 1 + left; // the first output t whose window reaches f: t * stride >= f - ke + 1 + left
        return clampedColumn(t <= 0 ? 0 : (t + stride - 1) / stride);
    }

    private static int pad(PadNode e, PadNode b, int f, int inExact, int inWide) {
        int left = e.left();
        if (left != b.left()) {
            return -1;
        }
        int safe = clampedColumn((long) f + left);
        PaddingMode mode = e.mode();
        for (int j = 0; j < left && mode != PaddingMode.ZEROS; j++) { // edge modes read the input on the left
            int read = mode.sourceIndex(j - left, inExact);
            if (read != mode.sourceIndex(j - left, inWide) || read >= f) {
                return j;
            }
        }
        return safe;
    }

    private static int clampedColumn(long c) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, c));
    }
}
