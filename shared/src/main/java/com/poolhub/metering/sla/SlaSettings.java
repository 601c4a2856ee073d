package com.poolhub.metering.sla;

import com.poolhub.metering.config.Env;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * SLA collection settings: window length ({@code SLA_WINDOW_HOURS}, 24), forecast horizon
 * ({@code CAPACITY_FORECAST_HOURS}, 168), forecast history ({@code CAPACITY_HISTORY_DAYS}, 28),
 * alert threshold ({@code CAPACITY_ALERT_THRESHOLD_PCT}, 80), scale-down watermark
 * ({@code CAPACITY_SCALE_DOWN_THRESHOLD_PCT}, 50), concurrent miner reads
 * ({@code SLA_READ_PARALLELISM}, 16) and how long SLA records are kept ({@code SLA_RETENTION_DAYS}, 90).
 */
public record SlaSettings(Duration window, int forecastHours, Duration forecastHistory, BigDecimal alertThresholdPct,
                          BigDecimal scaleDownBelowPct, int readParallelism, Duration retention) {
    public static final SlaSettings DEFAULTS = new SlaSettings(Duration.ofHours(24), 168, Duration.ofDays(28),
            new BigDecimal("80"), new BigDecimal("50"), 16, Duration.ofDays(90));

    public static SlaSettings fromEnv(Env env) {
        return new SlaSettings(Duration.ofHours(env.intValue("SLA_WINDOW_HOURS", 24)),
                env.intValue("CAPACITY_FORECAST_HOURS", 168), env.days("CAPACITY_HISTORY_DAYS", 28),
                env.decimal("CAPACITY_ALERT_THRESHOLD_PCT", "80"), env.decimal("CAPACITY_SCALE_DOWN_THRESHOLD_PCT", "50"),
                env.intValue("SLA_READ_PARALLELISM", 16), env.days("SLA_RETENTION_DAYS", 90));
    }

    public CapacityForecaster forecaster() {
        return new CapacityForecaster(alertThresholdPct, scaleDownBelowPct);
    }
}
