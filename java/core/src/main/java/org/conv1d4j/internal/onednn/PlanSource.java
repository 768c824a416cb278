package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Geometry;

/** Builds the plan for one (batch, width) or (batch, width bucket) of an op, for {@link PlanCache} to keep. */
@FunctionalInterface
interface PlanSource {
    /**
     * @param batch {@code N}
     * @param bucket the call's {@link org.conv1d4j.internal.lowering.Buckets#key}, {@code EXACT}, or {@code -Q} for a
     *     window of output width {@code Q}
     * @param pads a window's {@code padLeft << 32 | padRight}, else 0
     * @param g the caller's geometry
     * @return a new plan with no execution context yet
     */
    ContextPool build(int batch, int bucket, long pads, Geometry g);
}
