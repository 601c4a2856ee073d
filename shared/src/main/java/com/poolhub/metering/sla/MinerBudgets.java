package com.poolhub.metering.sla;

import java.time.Instant;
import java.util.List;

/** What {@code GET /sla/budgets/{minerId}} answers: a miner's error budgets, burn rates and alert episodes. */
public record MinerBudgets(String minerId, SloSettings slo, Instant at, List<ErrorBudget> budgets,
                           List<BurnRateStatus> burnRates, List<BurnRateAlert> alerts) {
}
