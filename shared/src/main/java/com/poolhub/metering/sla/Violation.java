package com.poolhub.metering.sla;

import java.math.BigDecimal;

/**
 * A figure on the wrong side of its threshold.
 *
 * @param subject the miner id, or {@link #POOL} for the pool
 */
public record Violation(String subject, SlaMetric metric, BigDecimal value, BigDecimal threshold) {
    public static final String POOL = "pool";

    public static Violation ofMiner(String minerId, SlaMetric metric, BigDecimal value, BigDecimal threshold) {
        return new Violation(minerId, metric, value, threshold);
    }

    public static Violation ofPool(BigDecimal value, BigDecimal threshold) {
        return new Violation(POOL, SlaMetric.CAPACITY, value, threshold);
    }

    public boolean isPool() {
        return metric == SlaMetric.CAPACITY;
    }
}
