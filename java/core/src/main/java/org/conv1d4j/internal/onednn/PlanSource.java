package org.conv1d4j.internal.onednn;

import org.conv1d4j.spec.Geometry;

/** Builds the plan for one (batch, width) of an op, for {@link PlanCache} to keep. */
@FunctionalInterface
interface PlanSource {
    /**
     * @param batch {@code N}
     * @param g the caller's geometry
     * @return a new plan with no execution context yet
     */
    ContextPool build(int batch, Geometry g);
}
