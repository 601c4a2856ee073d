package com.poolhub.metering.sla;

import com.poolhub.metering.config.Env;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/**
 * Each miner's service level objectives: the share of good heartbeat buckets
 * ({@code SLO_UPTIME_TARGET_PCT}, 99) and of jobs completed ({@code SLO_COMPLETION_TARGET_PCT}, 95) over
 * a rolling period of {@code SLO_PERIOD_DAYS} (28 or 30, default 30). The error budget is what the
 * target leaves: 1 % of the period's buckets for a 99 % uptime objective.
 */
public record SloSettings(BigDecimal uptimeTargetPct, BigDecimal completionTargetPct, int periodDays) {
    public static final SloSettings DEFAULTS = new SloSettings(new BigDecimal("99"), new BigDecimal("95"), 30);
    /** The metrics that have an objective. */
    public static final List<SlaMetric> METRICS = List.of(SlaMetric.UPTIME, SlaMetric.COMPLETION_RATE);

    public SloSettings {
        for (BigDecimal target : List.of(uptimeTargetPct, completionTargetPct)) {
            if (target.signum() <= 0 || target.compareTo(BigDecimal.valueOf(100)) >= 0) {
                throw new IllegalArgumentException("an SLO target is a percentage above 0 and below 100, not " + target);
            }
        }
        if (periodDays != 28 && periodDays != 30) {
            throw new IllegalArgumentException("the SLO period is 28 or 30 days, not " + periodDays);
        }
    }

    public static SloSettings fromEnv(Env env) {
        return new SloSettings(env.decimal("SLO_UPTIME_TARGET_PCT", "99"), env.decimal("SLO_COMPLETION_TARGET_PCT", "95"),
                env.intValue("SLO_PERIOD_DAYS", 30));
    }

    public BigDecimal targetPct(SlaMetric metric) {
        return switch (metric) {
            case UPTIME -> uptimeTargetPct;
            case COMPLETION_RATE -> completionTargetPct;
            default -> throw new IllegalArgumentException("no objective for " + metric);
        };
    }

    public Duration period() {
        return Duration.ofDays(periodDays);
    }
}
