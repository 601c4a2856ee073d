package com.poolhub.metering.sla;

import java.time.Instant;

/**
 * What one collection did.
 *
 * @param publishFailed events still unpublished after retries; their violations stay pending and are
 *                      published by the next collection
 */
public record CollectionResult(Instant collectedAt, SlaWindow window, long miners, long violations, long newViolations,
                               long published, long publishFailed, PoolMetrics pool, Recommendation recommendation) {
}
