package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Geometry;

/** Builds the plan for one (batch, width) or (batch, width bucket) of an op, for {@link PlanCache} to keep. */
@FunctionalInterface
interface PlanSource {
    /**
     * @param batch {@code N}
     * @param bucket the call's {@link org.conv1d4j.internal.lowering.Buckets#key}, or {@code EXACT}
     * @param g the caller's geometry
     * @return a new plan with no execution context yet
     */
    ContextPool build(int batch, int bucket, Geometry g);
}
