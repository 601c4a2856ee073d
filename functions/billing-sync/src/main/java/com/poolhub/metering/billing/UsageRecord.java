package com.poolhub.metering.billing;

import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One quantity pushed to the coordinator for a tenant, billing period (a UTC hour) and metric.
 * Revision 0 is the period's usage; revision n > 0 is an adjustment carrying usage that arrived after
 * the earlier revisions were recorded. Each revision has its own idempotency key, derived from
 * (tenant, period, metric) plus the revision, and is stored before it is sent, so a resend always
 * carries the same quantity under the same key.
 */
public record UsageRecord(String tenant, Instant periodStart, Instant periodEnd, BillingMetric metric, int revision,
                          BigDecimal quantity, SyncStatus status, int attempts, String lastError,
                          Instant createdAt, Instant updatedAt) {

    /** The kind of record, as sent and listed. */
    public enum Kind { USAGE, ADJUSTMENT }

    /** A new record, not yet sent. */
    public static UsageRecord pending(String tenant, Instant periodStart, Instant periodEnd, BillingMetric metric,
                                      int revision, BigDecimal quantity, Instant now) {
        return new UsageRecord(tenant, periodStart, periodEnd, metric, revision, quantity, SyncStatus.PENDING, 0, null,
                now, now);
    }

    public Kind kind() {
        return revision == 0 ? Kind.USAGE : Kind.ADJUSTMENT;
    }

    /**
     * {@code tenant/periodStart/metric} for the usage record, with {@code /adj-n} for adjustment n.
     * Tenants never contain {@code /}, so keys of different records never collide.
     */
    public String idempotencyKey() {
        String base = tenant + "/" + UtcTimes.format(periodStart) + "/" + metric.wire();
        return revision == 0 ? base : base + "/adj-" + revision;
    }

    public UsageRecord withStatus(SyncStatus newStatus, int newAttempts, String error, Instant at) {
        return new UsageRecord(tenant, periodStart, periodEnd, metric, revision, quantity, newStatus, newAttempts, error,
                createdAt, at);
    }
}
