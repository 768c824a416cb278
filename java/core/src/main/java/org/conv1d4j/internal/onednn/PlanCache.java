package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Geometry;

/**
 * At most {@code capacity} plans, one per (batch, width) or (batch, width bucket), least recently used evicted first. A plan in use when it
 * is evicted is freed by the last call that releases it. Lookups scan a small array, so a hit allocates nothing.
 */
final class PlanCache {
    private final PlanSource source;
    private final ContextPool[] plans;
    private long clock;

    PlanCache(PlanSource source, int capacity) {
        this.source = source;
        this.plans = new ContextPool[capacity];
    }

    /**
     * Finds or builds the plan for (batch, bucket, pads) (or (batch, width) where the bucket is {@code EXACT}) and
     * marks it in use; pair with {@link #release(ContextPool)}.
     */
    synchronized ContextPool acquire(int batch, int bucket, long pads, Geometry g) {
        int victim = 0;
        for (int i = 0; i < plans.length; i++) {
            ContextPool p = plans[i];
            if (p == null) {
                victim = i;
                break;
            }
            if (p.matches(batch, bucket, pads, g)) {
                p.users++;
                p.lastUse = ++clock;
                return p;
            }
            if (plans[victim] != null && p.lastUse < plans[victim].lastUse) {
                victim = i;
            }
        }
        for (int i = victim + 1; i < plans.length; i++) {
            ContextPool p = plans[i];
            if (p != null && p.matches(batch, bucket, pads, g)) {
                p.users++;
                p.lastUse = ++clock;
                return p;
            }
        }
        ContextPool fresh = source.build(batch, bucket, pads, g);
        ContextPool old = plans[victim];
        if (old != null) {
            old.retired = true;
            if (old.users == 0) {
                old.close();
            }
        }
        plans[victim] = fresh;
        fresh.users = 1;
        fresh.lastUse = ++clock;
        return fresh;
    }

    synchronized void release(ContextPool p) {
        p.users--;
        if (p.retired && p.users == 0) {
            p.close();
        }
    }

    /** @return how many plans the cache keeps at most */
    int capacity() {
        return plans.length;
    }

    /** @return how many plans are cached */
    synchronized int size() {
        int n = 0;
        for (ContextPool p : plans) {
            n += p == null ? 0 : 1;
        }
        return n;
    }

    /** Frees every plan; the caller guarantees none is in use. */
    synchronized void close() {
        for (int i = 0; i < plans.length; i++) {
            if (plans[i] != null) {
                plans[i].close();
                plans[i] = null;
            }
        }
    }
}
