package com.poolhub.metering.sla;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Runs an SLA collection: every known miner's figures over the window (one counters read per miner,
 * never raw heartbeats), the pool's capacity, the violations (one per subject, metric and
 * collection; their events published and, if publishing fails, kept pending for the next run), a
 * capacity snapshot, and the capacity forecast's recommendation, published when it changes. The
 * same service answers the API's live queries.
 */
public final class SlaCollector {
    public static final String VIOLATION_EVENT = "SlaViolationDetected";
    public static final String RECOMMENDATION_EVENT = "CapacityRecommendation";
    static final int MINER_PAGE = 200;
    private static final int PENDING_PER_RUN = 1000;

    private final TelemetryHistory telemetry;
    private final SlaRepository repository;
    private final EventPublisher publisher;
    private final SlaCalculator calculator;
    private final SlaThresholds thresholds;
    private final SlaSettings settings;
    private final Clock clock;
    private final ExecutorService readers;
    private final BurnRateCheck burnRates;
    private final BurnRateAlerts alerts;

    public SlaCollector(TelemetryHistory telemetry, SlaRepository repository, EventPublisher publisher,
                        SlaCalculator calculator, SlaThresholds thresholds, SlaSettings settings, Clock clock,
                        ExecutorService readers, BurnRateCheck burnRates, BurnRateAlerts alerts) {
        this.telemetry = telemetry;
        this.repository = repository;
        this.publisher = publisher;
        this.calculator = calculator;
        this.thresholds = thresholds;
        this.settings = settings;
        this.clock = clock;
        this.readers = readers;
        this.burnRates = burnRates;
        this.alerts = alerts;
    }

    /** The default window: {@code SLA_WINDOW_HOURS} ending at the current bucket. */
    public SlaWindow defaultWindow() {
        return SlaWindow.endingAt(clock.instant(), settings.window(), calculator.grid());
    }

    /** A collection over the {@link #defaultWindow()}. */
    public CollectionResult collect() {
        return collect(defaultWindow());
    }

    /** A collection over the given window, identified by its end (a rerun rewrites the same records). */
    public CollectionResult collect(SlaWindow window) {
        Instant collectedAt = window.end();
        PoolMetrics.Builder pool = new PoolMetrics.Builder(window);
        List<Violation> violations = new ArrayList<>();
        List<BurnRateStatus> burning = new ArrayList<>();
        Map<String, String> position = null;
        do {
            Page<RegisteredMiner> page = telemetry.miners(MINER_PAGE, position);
            List<MinerMetrics> metrics = new ArrayList<>();
            for (MinerEvaluation evaluation : evaluateWithBurnRates(page.items(), window)) {
                metrics.add(evaluation.metrics());
                burning.addAll(evaluation.burnRates());
            }
            repository.saveMinerMetrics(collectedAt, metrics);
            for (MinerMetrics miner : metrics) {
                pool.add(miner);
                violations.addAll(thresholds.violations(miner));
            }
            position = page.next();
        } while (position != null);
        PoolMetrics poolMetrics = pool.build();
        violations.addAll(thresholds.violations(poolMetrics));
        repository.saveSnapshot(CapacitySnapshot.of(poolMetrics));

        long fresh = 0;
        for (Violation violation : violations) {
            if (repository.recordViolation(new ViolationRecord(collectedAt, window, violation))) {
                fresh++;
            }
        }
        long[] published = publishPending();
        long[] announced = alerts.apply(burning, burnRates.slo(), collectedAt);
        published[0] += announced[0];
        published[1] += announced[1];

        Recommendation recommendation = recommendation();
        Recommendation last = repository.lastRecommendation().orElse(null);
        if (recommendation.differsFrom(last)) {
            try {
                publisher.publish(List.of(new DomainEvent(RECOMMENDATION_EVENT,
                        recommendationDetail(recommendation), recommendation.generatedAt())));
                repository.saveRecommendation(recommendation);
                published[0]++;
            } catch (PublishException e) {
                published[1]++;
            }
        }
        repository.saveCollection(new Collection(collectedAt, window, poolMetrics, poolMetrics.miners(), violations.size()));
        return new CollectionResult(collectedAt, window, poolMetrics.miners(), violations.size(), fresh, published[0],
                published[1], poolMetrics, recommendation);
    }

    /** Publishes pending violations; returns {published, still unpublished}. */
    private long[] publishPending() {
        return Announcements.publish(publisher, repository.pendingViolations(PENDING_PER_RUN),
                record -> new DomainEvent(VIOLATION_EVENT, SlaJson.violation(record), record.collectedAt()),
                repository::markPublished);
    }

    /** A miner's SLA figures over a collection's window and its burn rates at the window's end. */
    private record MinerEvaluation(MinerMetrics metrics, List<BurnRateStatus> burnRates) {
    }

    /**
     * Figures and burn rates of a page of miners, read concurrently: one counters read per miner over
     * the window and the longest burn-rate window together.
     */
    private List<MinerEvaluation> evaluateWithBurnRates(List<RegisteredMiner> miners, SlaWindow window) {
        SlaWindow span = BurnRateCheck.span(window);
        List<CompletableFuture<MinerEvaluation>> reads = new ArrayList<>();
        for (RegisteredMiner miner : miners) {
            reads.add(CompletableFuture.supplyAsync(() -> {
                MinerHistory history = telemetry.history(miner, span);
                return new MinerEvaluation(calculator.evaluate(history, window), burnRates.check(history, window.end()));
            }, readers));
        }
        return reads.stream().map(CompletableFuture::join).toList();
    }

    /**
     * A miner's error budgets over the SLO period ending at the current bucket, its burn rates under
     * every rule and its stored alert episodes.
     */
    public MinerBudgets budgets(RegisteredMiner miner) {
        Instant end = defaultWindow().end();
        Duration reach = burnRates.slo().period().compareTo(BurnRateRule.longest()) > 0
                ? burnRates.slo().period() : BurnRateRule.longest();
        MinerHistory history = telemetry.history(miner, new SlaWindow(end.minus(reach), end));
        return new MinerBudgets(miner.minerId(), burnRates.slo(), end, burnRates.budgets(history, end),
                burnRates.check(history, end), alerts.of(miner.minerId()));
    }

    /** Figures of a page of miners, read concurrently. */
    public List<MinerMetrics> evaluate(List<RegisteredMiner> miners, SlaWindow window) {
        List<CompletableFuture<MinerMetrics>> reads = new ArrayList<>();
        for (RegisteredMiner miner : miners) {
            reads.add(CompletableFuture.supplyAsync(() -> calculator.evaluate(telemetry.history(miner, window), window), readers));
        }
        List<MinerMetrics> metrics = new ArrayList<>();
        for (CompletableFuture<MinerMetrics> read : reads) {
            metrics.add(read.join());
        }
        return metrics;
    }

    public com.poolhub.metering.telemetry.BucketGrid grid() {
        return calculator.grid();
    }

    /** One page of known miners. */
    public Page<RegisteredMiner> minersPage(int limit, Map<String, String> from) {
        return telemetry.miners(limit, from);
    }

    public java.util.Optional<RegisteredMiner> registeredMiner(String minerId) {
        return telemetry.miner(minerId);
    }

    public MinerMetrics evaluate(RegisteredMiner miner, SlaWindow window) {
        return calculator.evaluate(telemetry.history(miner, window), window);
    }

    /** The pool's figures over a window, reading every known miner. */
    public PoolMetrics pool(SlaWindow window) {
        PoolMetrics.Builder pool = new PoolMetrics.Builder(window);
        Map<String, String> position = null;
        do {
            Page<RegisteredMiner> page = telemetry.miners(MINER_PAGE, position);
            evaluate(page.items(), window).forEach(pool::add);
            position = page.next();
        } while (position != null);
        return pool.build();
    }

    public CapacityForecast forecast(int hours) {
        Instant now = clock.instant();
        List<CapacitySnapshot> history = new ArrayList<>();
        Map<String, String> next = null;
        do {
            Page<CapacitySnapshot> page = repository.snapshots(now.minus(settings.forecastHistory()), now.plusSeconds(1), 1000, next);
            history.addAll(page.items());
            next = page.next();
        } while (next != null);
        return settings.forecaster().forecast(history, hours, now);
    }

    public Recommendation recommendation() {
        return settings.forecaster().recommend(forecast(settings.forecastHours()));
    }

    private ObjectNode recommendationDetail(Recommendation recommendation) {
        ObjectNode detail = SlaJson.recommendation(recommendation);
        detail.put("alertThresholdPct", settings.alertThresholdPct().toPlainString());
        detail.put("horizonHours", settings.forecastHours());
        return detail;
    }
}
