package com.poolhub.metering.billing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.billing.CoordinatorBilling.Outcome;
import com.poolhub.metering.billing.CoordinatorBilling.Submission;
import com.poolhub.metering.billing.MetricMapping.TenantMetric;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes closed hours of usage to the coordinator billing API, each quantity billed exactly once.
 *
 * <p>A run follows what changed: it lists the tenant hours whose totals changed since they were last
 * billed ({@link HourlyUsageSource#changedBefore}), up to the last closed hour, however old they are.
 * For each it compares the billable usage per metric with the sum of the records already stored for
 * the tenant and hour (whatever their status) and stores the difference as a new record before
 * sending anything: revision 0 for the first, an adjustment revision for late usage. Then it sends
 * every record of the tenant hour that is not yet accepted, with bounded retries, backoff and
 * jitter, under the record's own idempotency key, and forgets the change only once all of them are
 * accepted (and only if the totals are still the ones billed). Because a record is stored before it
 * is sent and resent unchanged, a crash anywhere (even after the API applied a record but before it
 * was marked accepted) ends in a resend the API recognises, never a second charge. The watermark
 * moves to the first hour still holding an unaccepted record (or the end of the last closed hour)
 * and only with a version check. When records end the run unaccepted, {@code BillingSyncFailed} is
 * published.
 */
public final class BillingSync {
    public static final String FAILED_EVENT = "BillingSyncFailed";
    static final int MAX_RECORDS_IN_EVENT = 25;
    private static final Logger LOG = LoggerFactory.getLogger(BillingSync.class);

    private final HourlyUsageSource usage;
    private final BillingRecordStore store;
    private final CoordinatorBilling coordinator;
    private final EventPublisher events;
    private final SyncSettings settings;
    private final Sleeper sleeper;
    private final RandomGenerator random;
    private final Clock clock;

    public BillingSync(HourlyUsageSource usage, BillingRecordStore store, CoordinatorBilling coordinator,
                       EventPublisher events, SyncSettings settings, Sleeper sleeper, RandomGenerator random,
                       Clock clock) {
        this.usage = usage;
        this.store = store;
        this.coordinator = coordinator;
        this.events = events;
        this.settings = settings;
        this.sleeper = sleeper;
        this.random = random;
        this.clock = clock;
    }

    /** The watermark as stored: every hour before it is billed. */
    public Watermark watermark() {
        return store.watermark();
    }

    /** The start of the first hour that is not closed yet at {@code now}. */
    public Instant closedBefore(Instant now) {
        return Granularity.HOUR.windowStart(now.minus(settings.settle()));
    }

    /** Runs one sync; store failures propagate (the next run resumes from the stored state). */
    public SyncReport run() {
        Instant now = clock.instant();
        Instant closedBefore = closedBefore(now);
        Watermark watermark = store.watermark();
        Map<Instant, List<String>> changed = new TreeMap<>();
        for (HourlyUsageSource.TenantHour hour : usage.changedBefore(closedBefore)) {
            changed.computeIfAbsent(hour.hourStart(), h -> new ArrayList<>()).add(hour.tenant());
        }
        Run run = new Run();
        Instant firstOpen = null;
        for (Map.Entry<Instant, List<String>> hour : changed.entrySet()) {
            run.hoursScanned++;
            boolean allAccepted = syncHour(hour.getKey(), hour.getValue(), run);
            if (!allAccepted && firstOpen == null) {
                firstOpen = hour.getKey();
            }
        }
        Instant through = firstOpen != null ? firstOpen : closedBefore;
        if (watermark.through() != null && through.isBefore(watermark.through()) && firstOpen == null) {
            through = watermark.through();
        }
        Instant reported = through;
        if (!through.equals(watermark.through()) && !store.moveWatermark(watermark, through, now)) {
            LOG.warn("watermark changed by a concurrent run; keeping its value");
            reported = store.watermark().through();
        }
        long lag = reported == null ? 0 : Math.max(0, Duration.between(reported, now).toSeconds());
        SyncReport report = new SyncReport(run.hoursScanned, run.created, run.adjustments, run.synced, run.retried,
                run.unaccepted.size(), run.deferred, reported, lag, now);
        if (!run.unaccepted.isEmpty() || run.deferred > 0) {
            publishFailure(run, report, now);
        }
        return report;
    }

    /** Syncs the changed tenants of one hour; true when all their records are accepted. */
    private boolean syncHour(Instant hour, List<String> tenants, Run run) {
        List<UsageRecord> records = store.recordsOf(hour);
        boolean allAccepted = true;
        for (String tenant : tenants) {
            HourlyUsageSource.TenantHourUsage read = usage.usageOf(new HourlyUsageSource.TenantHour(tenant, hour));
            if (syncTenantHour(read, records.stream().filter(r -> r.tenant().equals(tenant)).toList(), run)) {
                usage.billed(read);
            } else {
                allAccepted = false;
            }
        }
        return allAccepted;
    }

    /** Records the tenant hour's new usage and sends its open records; true when all of them are accepted. */
    private boolean syncTenantHour(HourlyUsageSource.TenantHourUsage read, List<UsageRecord> records, Run run) {
        Instant hour = read.hour().hourStart();
        Map<TenantMetric, BigDecimal> billable = MetricMapping.billable(read.lines());
        if (billable.isEmpty() && records.isEmpty()) {
            return true;
        }
        Map<TenantMetric, BigDecimal> recorded = new HashMap<>();
        Map<TenantMetric, Integer> revisions = new HashMap<>();
        for (UsageRecord record : records) {
            TenantMetric key = new TenantMetric(record.tenant(), record.metric());
            recorded.merge(key, record.quantity(), BigDecimal::add);
            revisions.merge(key, record.revision() + 1, Math::max);
        }
        List<UsageRecord> open = new ArrayList<>(records.stream().filter(r -> r.status() != SyncStatus.ACCEPTED).toList());
        Instant now = clock.instant();
        boolean allAccepted = true;
        for (Map.Entry<TenantMetric, BigDecimal> entry : billable.entrySet()) {
            TenantMetric key = entry.getKey();
            BigDecimal delta = entry.getValue().subtract(recorded.getOrDefault(key, BigDecimal.ZERO));
            if (delta.signum() < 0) {
                // totals only grow and are read consistently: a smaller one cannot be billed back
                LOG.warn("usage of {} {} at {} reads below what was recorded; skipped", key.tenant(), key.metric(), hour);
            } else if (delta.signum() > 0) {
                UsageRecord record = UsageRecord.pending(key.tenant(), hour, Granularity.HOUR.next(hour), key.metric(),
                        revisions.getOrDefault(key, 0), delta, now);
                if (store.create(record)) {
                    run.created++;
                    if (record.revision() > 0) {
                        run.adjustments++;
                    }
                    open.add(record);
                } else {
                    // a concurrent run stored this revision first and sends it; the hour is not known complete
                    allAccepted = false;
                }
            }
        }
        open.sort(Comparator.comparing(UsageRecord::tenant).thenComparing(UsageRecord::metric)
                .thenComparingInt(UsageRecord::revision));
        for (UsageRecord record : open) {
            if (run.apiUnavailable) {
                run.deferred++;
                allAccepted = false;
            } else if (!send(record, run)) {
                allAccepted = false;
            }
        }
        return allAccepted;
    }

    /** Sends one stored record with bounded retries; true when the API accepted it. */
    private boolean send(UsageRecord record, Run run) {
        String lastError = null;
        int maxAttempts = settings.retry().maxAttempts();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                run.retried++;
                sleeper.sleep(settings.retry().delay(attempt - 1, random));
            }
            Submission submission = coordinator.submit(record);
            if (submission.outcome() == Outcome.ACCEPTED) {
                store.markAccepted(record, record.attempts() + attempt, clock.instant());
                run.synced++;
                return true;
            }
            lastError = submission.detail();
            if (submission.outcome() == Outcome.REJECTED) {
                fail(record, record.attempts() + attempt, "refused: " + lastError, run);
                return false;
            }
        }
        fail(record, record.attempts() + maxAttempts, "gave up after " + maxAttempts + " attempts: " + lastError, run);
        run.apiUnavailable = true;
        return false;
    }

    private void fail(UsageRecord record, int attempts, String error, Run run) {
        Instant at = clock.instant();
        store.markFailed(record, attempts, error, at);
        run.unaccepted.add(record.withStatus(SyncStatus.FAILED, attempts, error, at));
    }

    private void publishFailure(Run run, SyncReport report, Instant now) {
        ObjectNode detail = Json.object();
        detail.put("failed", report.failed());
        detail.put("deferred", report.deferred());
        detail.put("synced", report.synced());
        detail.put("watermark", report.watermark() == null ? null : UtcTimes.format(report.watermark()));
        detail.put("lagSeconds", report.lagSeconds());
        ArrayNode list = detail.putArray("records");
        run.unaccepted.stream().limit(MAX_RECORDS_IN_EVENT).forEach(record -> list.add(BillingJson.record(record)));
        detail.put("recordsTruncated", run.unaccepted.size() > MAX_RECORDS_IN_EVENT);
        try {
            events.publish(List.of(new DomainEvent(FAILED_EVENT, detail, now)));
        } catch (PublishException e) {
            LOG.error("{} could not be published: {}", FAILED_EVENT, e.getMessage());
        }
    }

    /** Counters of one run. */
    private static final class Run {
        int hoursScanned;
        int created;
        int adjustments;
        int synced;
        int retried;
        int deferred;
        boolean apiUnavailable;
        final List<UsageRecord> unaccepted = new ArrayList<>();
    }
}
