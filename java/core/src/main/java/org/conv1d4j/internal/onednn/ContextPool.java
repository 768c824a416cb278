package org.conv1d4j.internal.onednn;

import org.conv1d4j.internal.lowering.Buckets;
import org.conv1d4j.spec.Geometry;

/**
 * A {@link Plan} with its {@link ExecutionContext}s, one per concurrent execution, made on demand and reused: the
 * entry {@link PlanCache} keeps per (batch, width).
 */
final class ContextPool {
    private final Plan plan;
    private final IdlePool<ExecutionContext> contexts = new IdlePool<>(this::newContext, ExecutionContext::close);
    /** Guarded by the owning {@link PlanCache}. */
    int users;
    /** Guarded by the owning {@link PlanCache}. */
    boolean retired;
    /** Guarded by the owning {@link PlanCache}: when this plan was last used. */
    long lastUse;

    private final int bucket;
    private final long pads;

    /**
     * @param plan the plan
     * @param bucket the {@link org.conv1d4j.internal.lowering.Buckets#key} it runs, {@code EXACT}, or {@code -Q} for
     *     a window of output width {@code Q}
     * @param pads a window's {@code padLeft << 32 | padRight}, else 0
     */
    ContextPool(Plan plan, int bucket, long pads) {
        this.plan = plan;
        this.bucket = bucket;
        this.pads = pads;
    }

    Plan plan() {
        return plan;
    }

    boolean matches(int batch, int key, long windowPads, Geometry g) {
        return plan.lowering().batch() == batch && bucket == key && pads == windowPads
                && (key != Buckets.EXACT || plan.lowering().user().inWidth() == g.inWidth());
    }

    /** Takes an idle context or makes one; the caller must {@link #give(ExecutionContext)} it back. */
    ExecutionContext take() {
        return contexts.take();
    }

    private ExecutionContext newContext() {
        try {
            return new ExecutionContext(plan);
        } catch (RuntimeException e) { // dnnl::error: a scratchpad or buffer it cannot allocate
            throw new IllegalArgumentException("shape: oneDNN cannot allocate the buffers for batch "
                    + plan.lowering().batch() + ", width " + plan.lowering().user().inWidth() + " (" + e.getMessage()
                    + ")", e);
        }
    }

    void give(ExecutionContext c) {
        contexts.give(c);
    }

    /** Frees the contexts and the plan; only once no execution uses them. */
    void close() {
        contexts.close();
        plan.close();
    }
}
