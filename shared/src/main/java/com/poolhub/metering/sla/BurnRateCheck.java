package com.poolhub.metering.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates every {@link BurnRateRule} for a miner's objectives at a moment, from the same hourly
 * counters as its SLA figures (each window exact as {@link SlaCalculator} computes it).
 */
public final class BurnRateCheck {
    private final SlaCalculator calculator;
    private final SloSettings slo;

    public BurnRateCheck(SlaCalculator calculator, SloSettings slo) {
        this.calculator = calculator;
        this.slo = slo;
    }

    public SloSettings slo() {
        return slo;
    }

    /** The window a history must cover for {@link #check} at {@code end}, and for {@code window} too. */
    public static SlaWindow span(SlaWindow window) {
        Instant start = window.end().minus(BurnRateRule.longest());
        return new SlaWindow(start.isBefore(window.start()) ? start : window.start(), window.end());
    }

    /** Each objective under each rule at {@code end}; {@code history} covers the longest rule's window. */
    public List<BurnRateStatus> check(MinerHistory history, Instant end) {
        Map<Duration, MinerMetrics> windows = new HashMap<>();
        List<BurnRateStatus> statuses = new ArrayList<>();
        for (BurnRateRule rule : BurnRateRule.values()) {
            MinerMetrics longMetrics = windows.computeIfAbsent(rule.longWindow(), d -> evaluate(history, end, d));
            MinerMetrics shortMetrics = windows.computeIfAbsent(rule.shortWindow(), d -> evaluate(history, end, d));
            for (SlaMetric metric : SloSettings.METRICS) {
                var target = slo.targetPct(metric);
                SliCount longCount = SliCount.of(metric, longMetrics);
                SliCount shortCount = SliCount.of(metric, shortMetrics);
                boolean firing = longCount.burnsAtLeast(rule.factor(), target) && shortCount.burnsAtLeast(rule.factor(), target);
                statuses.add(new BurnRateStatus(history.minerId(), metric, rule, longCount, shortCount,
                        longCount.burnRate(target), shortCount.burnRate(target), firing));
            }
        }
        return statuses;
    }

    /** The miner's error budget of each objective over the period ending at {@code end}. */
    public List<ErrorBudget> budgets(MinerHistory history, Instant end) {
        SlaWindow period = new SlaWindow(end.minus(slo.period()), end);
        MinerMetrics metrics = calculator.evaluate(history, period);
        List<ErrorBudget> budgets = new ArrayList<>();
        for (SlaMetric metric : SloSettings.METRICS) {
            budgets.add(ErrorBudget.of(metric, slo.targetPct(metric), period, SliCount.of(metric, metrics)));
        }
        return budgets;
    }

    private MinerMetrics evaluate(MinerHistory history, Instant end, Duration length) {
        return calculator.evaluate(history, new SlaWindow(end.minus(length), end));
    }
}
