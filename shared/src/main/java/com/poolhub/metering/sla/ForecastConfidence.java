package com.poolhub.metering.sla;

import java.math.BigDecimal;

/**
 * How far a forecast (and the recommendation drawn from it) can be trusted, from its backtest:
 * {@code HIGH} with at least 24 held-out hours, a MAPE of at most 10 % and at least 80 % of them inside
 * the band; {@code LOW} without a backtest, with under 12 held-out hours, a MAPE over 25 % or under 50 %
 * inside the band; {@code MEDIUM} otherwise.
 */
public enum ForecastConfidence {
    HIGH, MEDIUM, LOW;

    private static final BigDecimal HIGH_MAPE = BigDecimal.TEN;
    private static final BigDecimal HIGH_COVERAGE = BigDecimal.valueOf(80);
    private static final BigDecimal LOW_MAPE = BigDecimal.valueOf(25);
    private static final BigDecimal LOW_COVERAGE = BigDecimal.valueOf(50);

    /** The confidence a backtest earns ({@code LOW} for none). */
    public static ForecastConfidence of(ForecastBacktest backtest) {
        if (backtest == null || backtest.holdoutHours() < 12) {
            return LOW;
        }
        BigDecimal mape = backtest.mapePct();
        BigDecimal coverage = backtest.coveragePct();
        if ((mape != null && mape.compareTo(LOW_MAPE) > 0) || coverage.compareTo(LOW_COVERAGE) < 0) {
            return LOW;
        }
        if (backtest.holdoutHours() >= 24 && mape != null && mape.compareTo(HIGH_MAPE) <= 0
                && coverage.compareTo(HIGH_COVERAGE) >= 0) {
            return HIGH;
        }
        return MEDIUM;
    }
}
