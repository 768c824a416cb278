package org.conv1d4j.internal.onednn;

import org.conv1d4j.internal.net.PrefixStability;
import org.conv1d4j.net.NetGraph;
import org.conv1d4j.spec.WidthBuckets;

/**
 * Per (N, W): the bucket width a network call runs on and the output widths of both, decided once
 * ({@link PrefixStability}) and kept in a direct-mapped table, so that a call whose (N, W) was seen lately allocates
 * nothing. A width runs exactly where its bucket is itself, where the network cannot take the bucket's width, or
 * where the first output columns would differ.
 */
final class BucketedWidths {
    private static final int SLOTS = 4096;

    private final NetGraph graph;
    private final WidthBuckets rule;
    /** The key plus 1 per slot, 0 where empty. */
    private final long[] keys = new long[SLOTS];
    private final int[] wide = new int[SLOTS];
    private final int[] outWidth = new int[SLOTS];
    private final int[] outWide = new int[SLOTS];

    BucketedWidths(NetGraph graph, WidthBuckets rule) {
        this.graph = graph;
        this.rule = rule;
    }

    /**
     * @param batch {@code N}
     * @param width {@code W}
     * @param dims where to write {@code {W', OW(W), OW(W')}} when the call runs on a bucket
     * @return whether it does
     */
    synchronized boolean lookup(int batch, int width, int[] dims) {
        long key = NetPlanCache.key(batch, width);
        int slot = (int) ((key * 0x9E3779B97F4A7C15L) >>> 52) & (SLOTS - 1);
        if (keys[slot] != key + 1) {
            decide(slot, batch, width);
            keys[slot] = key + 1;
        }
        if (wide[slot] == 0) {
            return false;
        }
        dims[0] = wide[slot];
        dims[1] = outWidth[slot];
        dims[2] = outWide[slot];
        return true;
    }

    private void decide(int slot, int batch, int width) {

        wide[slot] = 0;
        int b = rule.bucket(width);
        if (b == width) {
            return;
        }
        try {
            int[] out = PrefixStability.outputWidths(graph, batch, width, b);
            if (out != null) {
                outWidth[slot] = out[0];
                outWide[slot] = out[1];
                wide[slot] = b;
            }
        } catch (IllegalArgumentException cannotTakeTheBucket) { // a fixed width, or tensors past 2^31 floats
            wide[slot] = 0;
        }
    }
}
