package com.poolhub.metering.sla;

import java.time.Instant;

/** A stored violation: one per (miner or pool, metric, collection). */
public record ViolationRecord(Instant collectedAt, SlaWindow window, Violation violation) {
}
