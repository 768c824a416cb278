package org.conv1d4j.onnx;

import org.conv1d4j.net.WidthExpr;
import org.conv1d4j.onnx.proto.Onnx.AttributeProto;
import org.conv1d4j.onnx.proto.Onnx.NodeProto;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Evaluates at load time the ops exporters put around a network's real work when all their inputs are known:
 * {@code Constant, ConstantOfShape, Concat, Reshape, Slice, Transpose, Cast, Unsqueeze, Squeeze, Gather, Shape,
 * Identity}, {@code Neg} and {@code Add, Sub, Mul, Div, Mod, Min, Max} of same-shaped or one-element tensors.
 * PyTorch writes {@code F.pad}'s pads as {@code Constant -> ConstantOfShape -> Concat -> Reshape -> Slice ->
 * Transpose -> Cast -> Pad}; this is what turns them back into numbers. An integer read from a symbolic batch or
 * width ({@code Shape} of the network's data) is carried as shape arithmetic ({@link WidthExpr}): the ops that move
 * values move it, the integer arithmetic computes with it; what needs its number at load time (a shape, an index,
 * an axis, a float) refuses it. Every new result is bounded by {@link ConstTensor#MAX_FOLDED} elements, every
 * expression by {@link WidthExpr#MAX_SIZE} terms.
 */
final class ConstantFolder {
    /** The ops this class can evaluate. */
    static final Set<String> OPS = Set.of("Constant", "ConstantOfShape", "Concat", "Reshape", "Slice", "Transpose",
            "Cast", "Unsqueeze", "Squeeze", "Gather", "Shape", "Identity", "Add", "Sub", "Mul", "Div", "Mod", "Neg",
            "Min", "Max");

    private ConstantFolder() {
    }

    /**
     * @param node the node
     * @param in its inputs, {@code null} where an optional input is absent
     * @return its (first) output
     */
    static ConstTensor fold(NodeProto node, List<ConstTensor> in) {
        String op = node.getOpType();
        ConstTensor r = switch (op) {
            case "Constant" -> constant(node);
            case "ConstantOfShape" -> constantOfShape(node, in);
            case "Concat" -> concat(node, in);
            case "Reshape" -> reshape(node, in);
            case "Slice" -> slice(node, in);
            case "Transpose" -> transpose(node, in);
            case "Cast" -> cast(node, in);
            case "Unsqueeze" -> unsqueeze(node, in);
            case "Squeeze" -> squeeze(node, in);
            case "Gather" -> gather(node, in);
            case "Shape" -> shape(node, require(node, in, 0).dims, null);
            case "Neg" -> neg(node, in);
            case "Min", "Max" -> extremum(node, in);
            case "Identity" -> {
                new Attrs(node, Set.of());
                yield require(node, in, 0);
            }
            default -> arithmetic(node, in);
        };
        if (!isView(r, in) && r.size() > ConstTensor.MAX_FOLDED) {
            throw Refusal.node(node, "the constant it computes has " + r.size() + " elements, more than "
                    + ConstTensor.MAX_FOLDED);
        }
        if (!r.isFloat()) {
            symbolicSize(node, r, r.size());
        }
        return r;
    }

    /** Refuses shape arithmetic over more than {@link ConstTensor#MAX_SYMBOLIC} values, before computing it. */
    private static void symbolicSize(NodeProto node, ConstTensor t, int n) {
        if (!t.allKnown() && n > ConstTensor.MAX_SYMBOLIC) {
            throw Refusal.node(node, "computes " + n + " values from the model's symbolic batch or width, more than "
                    + ConstTensor.MAX_SYMBOLIC);
        }
    }

    /** Whether {@code r} shares its values with an input (Identity, Reshape, Squeeze, Unsqueeze): nothing new. */
    static boolean isView(ConstTensor r, List<ConstTensor> in) {
        for (ConstTensor t : in) {
            if (t != null && ((t.floats != null && t.floats == r.floats) || (t.longs != null && t.longs == r.longs))) {
                return true;
            }
        }
        return false;
    }

    private static ConstTensor require(NodeProto node, List<ConstTensor> in, int i) {
        if (i >= in.size() || in.get(i) == null) {
            throw Refusal.node(node, "input " + i + " is missing");
        }
        return in.get(i);
    }

    private static void arity(NodeProto node, List<ConstTensor> in, int min, int max) {
        if (in.size() < min || in.size() > max) {
            throw Refusal.node(node, "takes " + min + (max > min ? " to " + max : "") + " inputs, got " + in.size());
        }
    }

    /** An integer tensor's values, all known. */
    static long[] ints(NodeProto node, ConstTensor t, String what) {
        if (t.isFloat()) {
            throw Refusal.node(node, what + " must be an integer tensor, got float");
        }
        if (!t.allKnown()) {
            throw Refusal.node(node, what + " depends on the model's symbolic batch or width (" + firstExpr(t)
                    + "); it must be known when the model is loaded");
        }
        return t.longs;
    }

    private static WidthExpr firstExpr(ConstTensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!t.known(i)) {
                return t.expr(i);
            }
        }
        return null;
    }

    private static int axis(NodeProto node, long axis, int rank, String what) {
        long a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw Refusal.node(node, what + " " + axis + " is out of range for rank " + rank);
        }
        return (int) a;
    }

    private static ConstTensor constant(NodeProto node) {
        Attrs a = new Attrs(node, Set.of("value", "value_float", "value_floats", "value_int", "value_ints"));
        if (node.getAttributeCount() != 1) {
            throw Refusal.node(node, "must have exactly one value attribute, has " + node.getAttributeCount());
        }
        if (a.has("value")) {
            AttributeProto t = a.tensor("value");
            return TensorDecoder.decode(t.getT(), Refusal.describe(node) + ": value");
        }
        if (a.has("value_float")) {
            return ConstTensor.ofFloats(new long[0], new float[] {a.real("value_float", 0)});
        }
        if (a.has("value_int")) {
            return ConstTensor.ofLongs(ConstTensor.INT64, new long[0], new long[] {a.integer("value_int", 0)});
        }
        if (a.has("value_floats")) {
            List<Float> f = a.reals("value_floats");
            float[] v = new float[f.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = f.get(i);
            }
            return ConstTensor.ofFloats(new long[] {v.length}, v);
        }
        List<Long> l = a.integers("value_ints");
        return ConstTensor.ofLongs(ConstTensor.INT64, new long[] {l.size()},
                l.stream().mapToLong(Long::longValue).toArray());
    }

    private static ConstTensor constantOfShape(NodeProto node, List<ConstTensor> in) {
        Attrs a = new Attrs(node, Set.of("value"));
        arity(node, in, 1, 1);
        long[] dims = ints(node, require(node, in, 0), "shape");
        for (long d : dims) {
            if (d < 0) {
                throw Refusal.node(node, "shape " + Arrays.toString(dims) + " has a negative dim");
            }
        }
        long n = ConstTensor.count(dims);
        if (dims.length > 8 || n > ConstTensor.MAX_FOLDED) {
            throw Refusal.node(node, "shape " + Arrays.toString(dims) + " is too large to compute at load time");
        }
        ConstTensor value = a.has("value") ? TensorDecoder.decode(a.tensor("value").getT(),
                Refusal.describe(node) + ": value") : ConstTensor.ofFloats(new long[] {1}, new float[] {0});
        if (value.size() != 1) {
            throw Refusal.node(node, "value must hold one element, holds " + value.size());
        }
        if (value.isFloat()) {
            float[] f = new float[(int) n];
            Arrays.fill(f, value.floats[0]);
            return ConstTensor.ofFloats(dims, f);
        }
        long[] l = new long[(int) n];
        Arrays.fill(l, value.longs[0]);
        return ConstTensor.ofLongs(value.type, dims, l);
    }

    private static ConstTensor concat(NodeProto node, List<ConstTensor> in) {
        Attrs a = new Attrs(node, Set.of("axis"));
        if (in.isEmpty()) {
            throw Refusal.node(node, "has no inputs");
        }
        ConstTensor first = require(node, in, 0);
        int rank = first.rank();
        if (rank == 0) {
            throw Refusal.node(node, "cannot concatenate scalars");
        }
        int axis = axis(node, a.integer("axis", Long.MIN_VALUE), rank, "axis");
        long total = 0;
        for (int k = 0; k < in.size(); k++) {
            ConstTensor t = require(node, in, k);
            if (t.type != first.type || t.rank() != rank) {
                throw Refusal.node(node, "input " + k + " (" + t + ") does not match input 0 (" + first + ")");
            }
            for (int d = 0; d < rank; d++) {
                if (d != axis && t.dims[d] != first.dims[d]) {
                    throw Refusal.node(node, "input " + k + " (" + t + ") does not match input 0 (" + first + ")");
                }
            }
            total += t.dims[axis];
        }
        long[] dims = first.dims.clone();
        dims[axis] = total;
        long n = ConstTensor.count(dims);
        if (n > ConstTensor.MAX_FOLDED) {
            throw Refusal.node(node, "the result " + Arrays.toString(dims) + " is too large");
        }
        // gather from a virtual concatenation: element index -> (input, index in it)
        int[] strides = ConstTensor.strides(dims);
        int[] src = new int[(int) n];
        int[] from = new int[(int) n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            int[] idx = new int[rank];
            for (int d = 0; d < rank; d++) {
                idx[d] = rest / strides[d];
                rest %= strides[d];
            }
            int k = 0;
            while (idx[axis] >= in.get(k).dims[axis]) {
                idx[axis] -= (int) in.get(k).dims[axis];
                k++;
            }
            int[] ks = ConstTensor.strides(in.get(k).dims);
            int off = 0;
            for (int d = 0; d < rank; d++) {
                off += idx[d] * ks[d];
            }
            from[i] = k;
            src[i] = off;
        }
        if (first.isFloat()) {
            float[] f = new float[(int) n];
            for (int i = 0; i < n; i++) {
                f[i] = in.get(from[i]).floats[src[i]];
            }
            return ConstTensor.ofFloats(dims, f);
        }
        long[] l = new long[(int) n];
        WidthExpr[] e = new WidthExpr[(int) n];
        for (int i = 0; i < n; i++) {
            l[i] = in.get(from[i]).longs[src[i]];
            e[i] = in.get(from[i]).expr(src[i]);
        }
        return ConstTensor.ofParts(first.type, dims, l, e);
    }

    private static ConstTensor reshape(NodeProto node, List<ConstTensor> in) {
        Attrs a = new Attrs(node, Set.of("allowzero"));
        arity(node, in, 2, 2);
        ConstTensor x = require(node, in, 0);
        long[] shape = ints(node, require(node, in, 1), "shape").clone();
        boolean allowZero = a.integer("allowzero", 0) != 0;
        int infer = -1;
        long known = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0 && !allowZero) {
                if (d >= x.rank()) {
                    throw Refusal.node(node, "shape " + Arrays.toString(shape) + " copies a dim the input lacks");
                }
                shape[d] = x.dims[d];
            }
            if (shape[d] == -1) {
                if (infer >= 0) {
                    throw Refusal.node(node, "shape " + Arrays.toString(shape) + " has two -1");
                }
                infer = d;
            } else if (shape[d] < 0) {
                throw Refusal.node(node, "shape " + Arrays.toString(shape) + " has a negative dim");
            } else {
                known = ConstTensor.count(new long[] {known, shape[d]});
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw Refusal.node(node, "cannot reshape " + x + " to " + Arrays.toString(shape));
            }
            shape[infer] = x.size() / known;
        }
        if (ConstTensor.count(shape) != x.size()) {
            throw Refusal.node(node, "cannot reshape " + x + " to " + Arrays.toString(shape));
        }
        return x.reshaped(shape);
    }

    private static ConstTensor slice(NodeProto node, List<ConstTensor> in) {
        new Attrs(node, Set.of());
        arity(node, in, 3, 5);
        ConstTensor x = require(node, in, 0);
        long[] starts = ints(node, require(node, in, 1), "starts");
        long[] ends = ints(node, require(node, in, 2), "ends");
        long[] axes = in.size() > 3 && in.get(3) != null ? ints(node, in.get(3), "axes") : null;
        long[] steps = in.size() > 4 && in.get(4) != null ? ints(node, in.get(4), "steps") : null;
        int k = starts.length;
        if (ends.length != k || (axes != null && axes.length != k) || (steps != null && steps.length != k)) {
            throw Refusal.node(node, "starts, ends, axes and steps must have the same length");
        }
        int rank = x.rank();
        long[] begin = new long[rank];
        long[] step = new long[rank];
        long[] dims = x.dims.clone();
        Arrays.fill(step, 1);
        boolean[] seen = new boolean[rank];
        for (int i = 0; i < k; i++) {
            int ax = axis(node, axes == null ? i : axes[i], rank, "axis");
            if (seen[ax]) {
                throw Refusal.node(node, "axis " + ax + " is sliced twice");
            }
            seen[ax] = true;
            long s = steps == null ? 1 : steps[i];
            if (s == 0) {
                throw Refusal.node(node, "a step is 0");
            }
            long dim = x.dims[ax];
            long st = starts[i] < 0 ? starts[i] + dim : starts[i];
            long en = ends[i] < 0 ? ends[i] + dim : ends[i];
            long count;
            if (s > 0) {
                st = Math.max(0, Math.min(dim, st));
                en = Math.max(0, Math.min(dim, en));
                count = en > st ? (en - st + s - 1) / s : 0;
            } else {
                st = Math.max(-1, Math.min(dim - 1, st));
                en = Math.max(-1, Math.min(dim - 1, en));
                count = st > en ? (st - en - s - 1) / -s : 0;
            }
            begin[ax] = st;
            step[ax] = s;
            dims[ax] = count;
        }
        return gatherBy(x, dims, begin, step);
    }

    /** Element {@code idx} of the result is element {@code begin + idx*step} of {@code x}, per axis. */
    private static ConstTensor gatherBy(ConstTensor x, long[] dims, long[] begin, long[] step) {
        int n = (int) ConstTensor.count(dims);
        int[] outStrides = ConstTensor.strides(dims);
        int[] inStrides = ConstTensor.strides(x.dims);
        int[] src = new int[n];
        for (int i = 0; i < n; i++) {
            int rest = i;
            long off = 0;
            for (int d = 0; d < dims.length; d++) {
                int idx = rest / outStrides[d];
                rest %= outStrides[d];
                off += (begin[d] + idx * step[d]) * inStrides[d];
            }
            src[i] = (int) off;
        }
        return x.select(dims, src);
    }

    private static ConstTensor transpose(NodeProto node, List<ConstTensor> in) {
        Attrs a = new Attrs(node, Set.of("perm"));
        arity(node, in, 1, 1);
        ConstTensor x = require(node, in, 0);
        int rank = x.rank();
        List<Long> p = a.integers("perm");
        int[] perm = new int[rank];
        boolean[] used = new boolean[rank];
        for (int d = 0; d < rank; d++) {
            perm[d] = p == null ? rank - 1 - d : d < p.size() ? axis(node, p.get(d), rank, "perm") : -1;
            if (perm[d] < 0 || used[perm[d]]) {
                throw Refusal.node(node, "perm " + p + " is not a permutation of " + rank + " axes");
            }
            used[perm[d]] = true;
        }
        if (p != null && p.size() != rank) {
            throw Refusal.node(node, "perm " + p + " is not a permutation of " + rank + " axes");
        }
        long[] dims = new long[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = x.dims[perm[d]];
        }
        int[] inStrides = ConstTensor.strides(x.dims);
        int[] outStrides = ConstTensor.strides(dims);
        int[] src = new int[x.size()];
        for (int i = 0; i < src.length; i++) {
            int rest = i;
            int off = 0;
            for (int d = 0; d < rank; d++) {
                off += rest / outStrides[d] * inStrides[perm[d]];
                rest %= outStrides[d];
            }
            src[i] = off;
        }
        return x.select(dims, src);
    }

    private static ConstTensor cast(NodeProto node, List<ConstTensor> in) {
        Attrs a = new Attrs(node, Set.of("to", "saturate"));
        arity(node, in, 1, 1);
        ConstTensor x = require(node, in, 0);
        long to = a.integer("to", -1);
        if (to == ConstTensor.FLOAT) {
            if (x.isFloat()) {
                return x;
            }
            long[] l = ints(node, x, "input");
            float[] f = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                f[i] = l[i];
            }
            return ConstTensor.ofFloats(x.dims, f);
        }
        if (to == ConstTensor.INT64 || to == ConstTensor.INT32 || to == ConstTensor.BOOL) {
            if (!x.isFloat()) {
                if (!x.allKnown()) {
                    if (to == ConstTensor.BOOL) {
                        ints(node, x, "input"); // refuses: a width's truth value is not shape arithmetic
                    }
                    // an int32 or int64 holds every width and batch: the arithmetic passes unchanged
                    return ConstTensor.ofTerms((int) to, x.dims, x.terms());
                }
                long[] l = x.longs.clone();
                for (int i = 0; i < l.length; i++) {
                    l[i] = to == ConstTensor.INT32 ? (int) l[i] : to == ConstTensor.BOOL ? (l[i] != 0 ? 1 : 0) : l[i];
                }
                return ConstTensor.ofLongs((int) to, x.dims, l);
            }
            long[] l = new long[x.size()];
            for (int i = 0; i < l.length; i++) {
                float v = x.floats[i];
                if (!Float.isFinite(v)) {
                    throw Refusal.node(node, "cannot cast " + v + " to an integer");
                }
                l[i] = to == ConstTensor.BOOL ? (v != 0 ? 1 : 0) : to == ConstTensor.INT32 ? (int) v : (long) v;
            }
            return ConstTensor.ofLongs((int) to, x.dims, l);
        }
        throw Refusal.node(node, "cast to " + TensorDecoder.typeName((int) to) + " is not supported");
    }

    private static ConstTensor unsqueeze(NodeProto node, List<ConstTensor> in) {
        new Attrs(node, Set.of());
        arity(node, in, 2, 2);
        ConstTensor x = require(node, in, 0);
        long[] axes = ints(node, require(node, in, 1), "axes");
        int rank = x.rank() + axes.length;
        if (rank > 8) {
            throw Refusal.node(node, "rank " + rank + " exceeds 8");
        }
        boolean[] inserted = new boolean[rank];
        for (long ax : axes) {
            int a = axis(node, ax, rank, "axis");
            if (inserted[a]) {
                throw Refusal.node(node, "axis " + a + " is given twice");
            }
            inserted[a] = true;
        }
        long[] dims = new long[rank];
        for (int d = 0, j = 0; d < rank; d++) {
            dims[d] = inserted[d] ? 1 : x.dims[j++];
        }
        return x.reshaped(dims);
    }

    private static ConstTensor squeeze(NodeProto node, List<ConstTensor> in) {
        new Attrs(node, Set.of());
        arity(node, in, 1, 2);
        ConstTensor x = require(node, in, 0);
        boolean[] drop = new boolean[x.rank()];
        if (in.size() > 1 && in.get(1) != null) {
            for (long ax : ints(node, in.get(1), "axes")) {
                int a = axis(node, ax, x.rank(), "axis");
                if (x.dims[a] != 1) {
                    throw Refusal.node(node, "axis " + a + " of " + x + " is not 1");
                }
                drop[a] = true;
            }
        } else {
            for (int d = 0; d < drop.length; d++) {
                drop[d] = x.dims[d] == 1;
            }
        }
        return x.reshaped(java.util.stream.IntStream.range(0, x.rank()).filter(d -> !drop[d])
                .mapToLong(d -> x.dims[d]).toArray());
    }

    private static ConstTensor gather(NodeProto node, List<ConstTensor> in) {
        Attrs a = new Attrs(node, Set.of("axis"));
        arity(node, in, 2, 2);
        ConstTensor x = require(node, in, 0);
        ConstTensor idx = require(node, in, 1);
        long[] indices = ints(node, idx, "indices");
        if (x.rank() == 0) {
            throw Refusal.node(node, "cannot gather from a scalar");
        }
        int axis = axis(node, a.integer("axis", 0), x.rank(), "axis");
        long[] dims = new long[x.rank() - 1 + idx.rank()];
        int j = 0;
        for (int d = 0; d < axis; d++) {
            dims[j++] = x.dims[d];
        }
        for (long d : idx.dims) {
            dims[j++] = d;
        }
        for (int d = axis + 1; d < x.rank(); d++) {
            dims[j++] = x.dims[d];
        }
        if (dims.length > 8 || ConstTensor.count(dims) > ConstTensor.MAX_FOLDED) {
            throw Refusal.node(node, "the result is too large");
        }
        long outer = ConstTensor.count(Arrays.copyOfRange(x.dims, 0, axis));
        long inner = ConstTensor.count(Arrays.copyOfRange(x.dims, axis + 1, x.rank()));
        long dim = x.dims[axis];
        int[] src = new int[(int) ConstTensor.count(dims)];
        int i = 0;
        for (long o = 0; o < outer; o++) {
            for (long k : indices) {
                long kk = k < 0 ? k + dim : k;
                if (kk < 0 || kk >= dim) {
                    throw Refusal.node(node, "index " + k + " is out of range for a dim of " + dim);
                }
                for (long in2 = 0; in2 < inner; in2++) {
                    src[i++] = (int) ((o * dim + kk) * inner + in2);
                }
            }
        }
        return x.select(dims, src);
    }

    /**
     * {@code Shape} of a tensor with the given dims.
     *
     * @param symbolic for each dim not known at load time, its expression ({@code N}, or the tensor's width); null
     *     when all are known
     */
    static ConstTensor shape(NodeProto node, long[] dims, WidthExpr[] symbolic) {
        Attrs a = new Attrs(node, Set.of("start", "end"));
        int rank = dims.length;
        long st = a.integer("start", 0);
        long en = a.integer("end", rank);
        st = Math.max(0, Math.min(rank, st < 0 ? st + rank : st));
        en = Math.max(0, Math.min(rank, en < 0 ? en + rank : en));
        int n = (int) Math.max(0, en - st);
        WidthExpr[] t = new WidthExpr[n];
        for (int i = 0; i < n; i++) {
            int d = (int) st + i;
            t[i] = symbolic != null && symbolic[d] != null ? symbolic[d] : WidthExpr.constant(dims[d]);
        }
        return ConstTensor.ofTerms(ConstTensor.INT64, new long[] {n}, t);
    }

    private static ConstTensor arithmetic(NodeProto node, List<ConstTensor> in) {
        String op = node.getOpType();
        Attrs attrs = new Attrs(node, op.equals("Mod") ? Set.of("fmod") : Set.of());
        boolean fmod = attrs.integer("fmod", 0) != 0;
        arity(node, in, 2, 2);
        ConstTensor x = require(node, in, 0);
        ConstTensor y = require(node, in, 1);
        if (x.isFloat() != y.isFloat()) {
            throw Refusal.node(node, "mixes float and integer inputs");
        }
        boolean sameShape = Arrays.equals(x.dims, y.dims);
        if (!sameShape && y.size() != 1 && x.size() != 1) {
            throw Refusal.node(node, "broadcasting " + x + " with " + y + " is not supported at load time");
        }
        ConstTensor big = sameShape || y.size() == 1 ? x : y;
        int n = big.size();
        if (x.isFloat()) {
            if (op.equals("Mod") && !fmod) {
                throw Refusal.node(node, "Mod of floats needs fmod = 1");
            }
            float[] f = new float[n];
            for (int i = 0; i < n; i++) {
                float a = x.floats[x.size() == 1 ? 0 : i];
                float b = y.floats[y.size() == 1 ? 0 : i];
                f[i] = switch (op) {
                    case "Add" -> a + b;
                    case "Sub" -> a - b;
                    case "Mul" -> a * b;
                    case "Div" -> a / b;
                    case "Mod" -> a % b;
                    case "Min" -> Math.min(a, b);
                    default -> Math.max(a, b);
                };
            }
            return ConstTensor.ofFloats(big.dims, f);
        }
        symbolicSize(node, x, n);
        symbolicSize(node, y, n);
        WidthExpr[] t = new WidthExpr[n];
        for (int i = 0; i < n; i++) {
            WidthExpr a = x.term(x.size() == 1 ? 0 : i);
            WidthExpr b = y.term(y.size() == 1 ? 0 : i);
            t[i] = compute(node, op, a, b, fmod);
        }
        return ConstTensor.ofTerms(x.type, big.dims, t);
    }

    /** One integer value of {@code a op b}: a number when both are known, shape arithmetic otherwise. */
    private static WidthExpr compute(NodeProto node, String op, WidthExpr a, WidthExpr b, boolean fmod) {
        if ((op.equals("Div") || op.equals("Mod")) && b.isConstant() && b.constantValue() == 0) {
            throw Refusal.node(node, "divides an integer by zero");
        }
        try {
            return switch (op) {
                case "Add" -> a.plus(b);
                case "Sub" -> a.minus(b);
                case "Mul" -> a.times(b);
                case "Div" -> a.div(b);
                case "Mod" -> a.mod(b, fmod);
                case "Min" -> a.min(b);
                default -> a.max(b);
            };
        } catch (IllegalArgumentException e) { // too many terms, or two constants overflow
            throw Refusal.node(node, "the shape arithmetic it computes is refused: " + e.getMessage());
        }
    }

    /** {@code Neg} of integers (numbers or shape arithmetic) or floats. */
    private static ConstTensor neg(NodeProto node, List<ConstTensor> in) {
        new Attrs(node, Set.of());
        arity(node, in, 1, 1);
        ConstTensor x = require(node, in, 0);
        if (x.isFloat()) {
            float[] f = new float[x.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = -x.floats[i];
            }
            return ConstTensor.ofFloats(x.dims, f);
        }
        symbolicSize(node, x, x.size());
        WidthExpr[] t = x.terms();
        try {
            for (int i = 0; i < t.length; i++) {
                t[i] = t[i].negate();
            }
        } catch (IllegalArgumentException e) {
            throw Refusal.node(node, "the shape arithmetic it computes is refused: " + e.getMessage());
        }
        return ConstTensor.ofTerms(x.type, x.dims, t);
    }

    /** {@code Min} or {@code Max} of one or more inputs, folded pairwise. */
    private static ConstTensor extremum(NodeProto node, List<ConstTensor> in) {
        if (in.isEmpty()) {
            throw Refusal.node(node, "has no inputs");
        }
        ConstTensor acc = require(node, in, 0);
        for (int k = 1; k < in.size(); k++) {
            acc = arithmetic(node, List.of(acc, require(node, in, k)));
        }
        return acc;
    }
}
