package org.conv1d4j.internal.onednn;

import org.bytedeco.dnnl.memory;
import org.bytedeco.javacpp.LongPointer;

import java.util.Arrays;

/** Renders oneDNN memory descriptors the way oneDNN's verbose mode names them (e.g. {@code acdb}, {@code ABcd16b16a}). */
final class Descriptors {
    private Descriptors() {
    }

    static String describe(memory.desc md) {
        int nd = md.get_ndims();
        long[] dims = read(md.get_dims(), nd);
        if (md.get_format_kind().value != memory.format_kind.blocked.value) {
            return Arrays.toString(dims) + " " + md.get_format_kind();
        }
        return Arrays.toString(dims) + " " + formatTag(md, nd);
    }

    static String formatTag(memory.desc md, int nd) {
        long[] strides = read(md.get_strides(), nd);
        int nblks = md.get_inner_nblks();
        long[] blks = read(md.get_inner_blks(), nblks);
        long[] idxs = read(md.get_inner_idxs(), nblks);
        boolean[] blocked = new boolean[nd];
        for (long idx : idxs) {
            blocked[(int) idx] = true;
        }
        Integer[] order = new Integer[nd];
        for (int d = 0; d < nd; d++) {
            order[d] = d;
        }
        // outer dims from largest stride to smallest; ties keep dim order
        Arrays.sort(order, (a, b) -> Long.compare(strides[b], strides[a]));
        StringBuilder s = new StringBuilder();
        for (int d : order) {
            char c = (char) ('a' + d);
            s.append(blocked[d] ? Character.toUpperCase(c) : c);
        }
        for (int b = 0; b < nblks; b++) {
            s.append(blks[b]).append((char) ('a' + idxs[b]));
        }
        return s.toString();
    }

    private static long[] read(LongPointer p, int n) {
        long[] out = new long[n];
        if (p == null) {
            return out;
        }
        if (n > 0) {
            p.get(out, 0, n);
        }
        p.close();
        return out;
    }
}
