package com.poolhub.metering.sla;

import com.poolhub.metering.config.Env;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLA thresholds (CONTRACT §2) and the exact comparisons that turn figures into violations:
 * uptime below {@code SLA_UPTIME_THRESHOLD} (95 %), mean response time above
 * {@code SLA_RESPONSE_TIME_THRESHOLD} (1000 ms), completion below {@code SLA_COMPLETION_RATE_THRESHOLD}
 * (90 %), pool capacity availability below {@code SLA_CAPACITY_THRESHOLD} (80 %). No data, no violation.
 */
public record SlaThresholds(BigDecimal uptimePct, BigDecimal responseTimeMs, BigDecimal completionRatePct,
                            BigDecimal capacityPct) {
    public static final SlaThresholds DEFAULTS = new SlaThresholds(new BigDecimal("95"), new BigDecimal("1000"),
            new BigDecimal("90"), new BigDecimal("80"));

    public static SlaThresholds fromEnv(Env env) {
        return new SlaThresholds(env.decimal("SLA_UPTIME_THRESHOLD", "95"),
                env.decimal("SLA_RESPONSE_TIME_THRESHOLD", "1000"),
                env.decimal("SLA_COMPLETION_RATE_THRESHOLD", "90"),
                env.decimal("SLA_CAPACITY_THRESHOLD", "80"));
    }

    public List<Violation> violations(MinerMetrics miner) {
        List<Violation> found = new ArrayList<>();
        if (miner.expectedBuckets() > 0 && Percent.below(miner.upBuckets(), miner.expectedBuckets(), uptimePct)) {
            found.add(Violation.ofMiner(miner.minerId(), SlaMetric.UPTIME, miner.uptimePct(), uptimePct));
        }
        if (miner.responses() > 0 && BigDecimal.valueOf(miner.responseSumMicros())
                .compareTo(responseTimeMs.multiply(BigDecimal.valueOf(1000L * miner.responses()))) > 0) {
            found.add(Violation.ofMiner(miner.minerId(), SlaMetric.RESPONSE_TIME, miner.responseMeanMs(), responseTimeMs));
        }
        if (miner.jobs() > 0 && Percent.below(miner.succeeded(), miner.jobs(), completionRatePct)) {
            found.add(Violation.ofMiner(miner.minerId(), SlaMetric.COMPLETION_RATE, miner.completionPct(), completionRatePct));
        }
        return found;
    }

    public List<Violation> violations(PoolMetrics pool) {
        if (pool.knownGpuBuckets() > 0 && Percent.below(pool.upGpuBuckets(), pool.knownGpuBuckets(), capacityPct)) {
            return List.of(Violation.ofPool(pool.capacityAvailabilityPct(), capacityPct));
        }
        return List.of();
    }
}
