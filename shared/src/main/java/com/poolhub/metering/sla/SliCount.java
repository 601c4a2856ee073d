package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The good and all events of an objective over a window: up buckets of all expected buckets (uptime),
 * completed jobs of all finished jobs (completion). Burn rates are decided on these counts exactly.
 */
public record SliCount(long good, long total) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public static SliCount of(SlaMetric metric, MinerMetrics metrics) {
        return switch (metric) {
            case UPTIME -> new SliCount(metrics.upBuckets(), metrics.expectedBuckets());
            case COMPLETION_RATE -> new SliCount(metrics.succeeded(), metrics.jobs());
            default -> throw new IllegalArgumentException("no objective for " + metric);
        };
    }

    public long bad() {
        return total - good;
    }

    /**
     * The rate the budget burns at: the bad share over the share the target allows (1 = the budget
     * lasts exactly the period), 3 decimals half-even; null without events.
     */
    public BigDecimal burnRate(BigDecimal targetPct) {
        if (total == 0) {
            return null;
        }
        return BigDecimal.valueOf(bad()).multiply(HUNDRED)
                .divide(HUNDRED.subtract(targetPct).multiply(BigDecimal.valueOf(total)), 3, RoundingMode.HALF_EVEN);
    }

    /** Whether the burn rate is at least {@code factor}, decided exactly: bad × 100 ≥ factor × (100 − target) × total. */
    public boolean burnsAtLeast(BigDecimal factor, BigDecimal targetPct) {
        return total > 0 && BigDecimal.valueOf(bad()).multiply(HUNDRED)
                .compareTo(factor.multiply(HUNDRED.subtract(targetPct)).multiply(BigDecimal.valueOf(total))) >= 0;
    }
}
