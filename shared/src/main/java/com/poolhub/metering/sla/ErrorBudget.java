package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * A miner's error budget for one objective over the rolling period ending now: the bad events the
 * target allows ({@code (100 − target) % of all}, exact), those spent, what remains (as events and as a
 * share of the budget; negative once overspent) and the burn rate over the period.
 */
public record ErrorBudget(SlaMetric metric, BigDecimal targetPct, Instant periodStart, Instant periodEnd, SliCount count,
                          BigDecimal allowedBad, BigDecimal remainingBad, BigDecimal remainingPct, BigDecimal burnRate) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public static ErrorBudget of(SlaMetric metric, BigDecimal targetPct, SlaWindow period, SliCount count) {
        BigDecimal allowed = BigDecimal.valueOf(count.total()).multiply(HUNDRED.subtract(targetPct)).divide(HUNDRED);
        BigDecimal remaining = allowed.subtract(BigDecimal.valueOf(count.bad()));
        BigDecimal remainingPct = allowed.signum() == 0 ? null
                : remaining.multiply(HUNDRED).divide(allowed, Percent.SCALE, RoundingMode.HALF_EVEN);
        return new ErrorBudget(metric, targetPct, period.start(), period.end(), count, allowed, remaining, remainingPct,
                count.burnRate(targetPct));
    }
}
