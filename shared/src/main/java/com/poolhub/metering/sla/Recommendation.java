package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A capacity recommendation from the forecast: the action, how many GPUs, and why.
 *
 * @param peakUtilisationPct the highest forecast utilisation over the horizon (null without forecast)
 * @param capacityGpus       the GPUs up now, against which utilisation is forecast
 * @param confidence         the forecast's confidence (null in a recommendation stored before it was kept)
 */
public record Recommendation(Instant generatedAt, RecommendationAction action, long gpus, String reason,
                             BigDecimal peakUtilisationPct, Instant peakAt, long capacityGpus, String method,
                             ForecastConfidence confidence) {

    /** Whether this says something different from {@code other} (action or GPU count). */
    public boolean differsFrom(Recommendation other) {
        return other == null || action != other.action || gpus != other.gpus;
    }
}
