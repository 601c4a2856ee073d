package com.poolhub.metering.usage;

import java.time.Instant;

/** Identifies one usage aggregate: a tenant's use of one resource in one unit over one window. */
public record UsageKey(String tenant, Resource resource, UsageUnit unit, Granularity granularity, Instant windowStart) {

    /** The window end, exclusive. */
    public Instant windowEnd() {
        return granularity.next(windowStart);
    }

    /** The key of the coarser window that contains this one. */
    public UsageKey parent() {
        Granularity coarser = granularity.coarser();
        if (coarser == null) {
            throw new IllegalStateException("a month has no parent window");
        }
        return new UsageKey(tenant, resource, unit, coarser, coarser.windowStart(windowStart));
    }
}
