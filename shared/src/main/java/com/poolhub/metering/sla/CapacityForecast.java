package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Forecast GPU demand of the pool, hour by hour, with a 95 % interval, and the utilisation that
 * demand means against the GPUs up now.
 *
 * @param method {@code HOLT_WINTERS_ADDITIVE_DAILY}, {@code HOLT_LINEAR} (under two days of
 *               history) or {@code INSUFFICIENT_HISTORY} (no points)
 */
public record CapacityForecast(Instant generatedAt, String method, int historyHours, long capacityGpus,
                               List<Point> points) {

    /** One forecast hour: GPUs used and utilisation %, each with lower and upper bounds. */
    public record Point(Instant time, BigDecimal usedGpus, BigDecimal usedGpusLower, BigDecimal usedGpusUpper,
                        BigDecimal utilisationPct, BigDecimal utilisationPctLower, BigDecimal utilisationPctUpper) {
    }
}
