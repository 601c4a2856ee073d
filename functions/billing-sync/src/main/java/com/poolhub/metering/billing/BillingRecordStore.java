package com.poolhub.metering.billing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Durable usage records and the sync watermark. */
public interface BillingRecordStore {
    /** Every record (all tenants, metrics and revisions) of the period starting at {@code periodStart}, read consistently. */
    List<UsageRecord> recordsOf(Instant periodStart);

    /**
     * Stores a new record if none exists under its (tenant, period, metric, revision).
     *
     * @return false when that revision already exists (another run recorded it first)
     */
    boolean create(UsageRecord record);

    /** Marks the record accepted by the coordinator. */
    void markAccepted(UsageRecord record, int attempts, Instant at);

    /** Records a failed send; never downgrades a record another run has marked accepted. */
    void markFailed(UsageRecord record, int attempts, String error, Instant at);

    Watermark watermark();

    /**
     * Moves the watermark to {@code through} if it is still at {@code read}'s version.
     *
     * @return false when another run changed it since it was read (this run's value is dropped)
     */
    boolean moveWatermark(Watermark read, Instant through, Instant at);

    /** A page of one tenant's records with periods in [from, to), oldest first. */
    Page tenantRecords(String tenant, Instant from, Instant to, int limit, Map<String, String> after);

    /** Records and the position to continue from, if there are more. */
    record Page(List<UsageRecord> records, Map<String, String> next) {
    }
}
