package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.time.Instant;

/** The pool's capacity at one collection: what the forecast learns from. */
public record CapacitySnapshot(Instant at, long miners, long minersUp, long gpusTotal, long gpusUp, long gpusUsed,
                               BigDecimal utilisationPct, BigDecimal capacityAvailabilityPct) {
    public static CapacitySnapshot of(PoolMetrics pool) {
        return new CapacitySnapshot(pool.windowEnd(), pool.miners(), pool.minersUp(), pool.gpusTotal(), pool.gpusUp(),
                pool.gpusUsed(), pool.utilisationPct(), pool.capacityAvailabilityPct());
    }
}
