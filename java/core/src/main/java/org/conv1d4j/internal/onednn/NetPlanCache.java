package org.conv1d4j.internal.onednn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A network's plans, at most {@code capacity}, one per (N, W) keyed as {@code N << 32 | W}, least recently used
 * evicted first; each with its idle contexts. A plan evicted while in use is freed by the last call that returns its
 * context. Lookups scan a small array of primitive keys, so a hit allocates nothing.
 */
final class NetPlanCache {
    /** A plan with the contexts made for it. */
    static final class Entry {
        private final NetPlan plan;
        private final long key;
        private long lastUse;
        private final ArrayDeque<NetContext> idle = new ArrayDeque<>();
        private final List<NetContext> all = new ArrayList<>();
        private int users;
        private boolean retired;

        Entry(NetPlan plan, long key) {
            this.plan = plan;
            this.key = key;
        }

        NetPlan plan() {
            return plan;
        }

        private void close() {
            all.forEach(NetContext::close);
            all.clear();
            idle.clear();
            plan.close();
        }
    }

    private final LongFunction<NetPlan> source;
    private final Entry[] entries;
    private long clock;

    NetPlanCache(int capacity, LongFunction<NetPlan> source) {
        this.entries = new Entry[capacity];
        this.source = source;
    }

    static long key(int batch, int width) {
        return (long) batch << 32 | width;
    }

    /** Finds or builds the plan for the key and marks it in use; pair with {@link #release(Entry, NetContext)}. */
    synchronized Entry acquire(long key) {
        Entry hit = null;
        for (Entry e : entries) {
            if (e != null && e.key == key) {
                hit = e;
                break;
            }
        }
        if (hit == null) {
            hit = new Entry(source.apply(key), key);
            int slot = 0;
            for (int i = 0; i < entries.length && entries[slot] != null; i++) {
                if (entries[i] == null || entries[i].lastUse < entries[slot].lastUse) {
                    slot = i;
                }
            }
            Entry old = entries[slot];
            entries[slot] = hit;
            if (old != null) {
                old.retired = true;
                if (old.users == 0) {
                    old.close();
                }
            }
        }
        hit.users++;
        hit.lastUse = ++clock;
        return hit;
    }

    /** Takes an idle context of an acquired entry, or makes one. */
    NetContext take(Entry e) {
        synchronized (this) {
            NetContext c = e.idle.pollFirst();
            if (c != null) {
                return c;
            }
        }
        NetContext c = new NetContext(e.plan);
        synchronized (this) {
            e.all.add(c);
        }
        return c;
    }

    /** Returns a context and releases the entry. */
    synchronized void release(Entry e, NetContext c) {
        if (c != null) {
            e.idle.addFirst(c);
        }
        e.users--;
        if (e.retired && e.users == 0) {
            e.close();
        }
    }

    /** Frees every plan; the caller guarantees none is in use. */
    synchronized void close() {
        for (int i = 0; i < entries.length; i++) {
            if (entries[i] != null) {
                entries[i].close();
                entries[i] = null;
            }
        }
    }
}
