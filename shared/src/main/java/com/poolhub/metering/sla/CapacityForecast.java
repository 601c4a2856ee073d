package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Forecast GPU demand of the pool, hour by hour, with a 95 % interval, and the utilisation that
 * demand means against the GPUs up now.
 *
 * @param method     a {@link ForecastModel} name, chosen by backtest, or {@code INSUFFICIENT_HISTORY}
 *                   (under two hours)
 * @param damping    the fitted trend's damping factor φ (1 = undamped; null without a model)
 * @param backtest   how the chosen model did on the held-out end of the history (null under eight hours)
 * @param confidence what the backtest makes of the forecast
 */
public record CapacityForecast(Instant generatedAt, String method, int historyHours, long capacityGpus,
                               BigDecimal damping, ForecastBacktest backtest, ForecastConfidence confidence,
                               List<Point> points) {

    /** One forecast hour: GPUs used and utilisation %, each with lower and upper bounds. */
    public record Point(Instant time, BigDecimal usedGpus, BigDecimal usedGpusLower, BigDecimal usedGpusUpper,
                        BigDecimal utilisationPct, BigDecimal utilisationPctLower, BigDecimal utilisationPctUpper) {
    }
}
