package com.poolhub.metering.sla;

import java.time.Instant;

/**
 * One SLA collection: its window (whose end identifies it, so a rerun for the same bucket rewrites
 * the same records), the pool's figures and how many miners and violations it found.
 */
public record Collection(Instant collectedAt, SlaWindow window, PoolMetrics pool, long miners, long violations) {
}
