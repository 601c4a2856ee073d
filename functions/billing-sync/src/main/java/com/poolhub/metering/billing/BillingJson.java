package com.poolhub.metering.billing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.UtcTimes;
import java.math.RoundingMode;

/** JSON shapes of usage records: the coordinator request body, and the listing/event form with sync status. */
public final class BillingJson {
    private BillingJson() {
    }

    /**
     * The body of {@code POST {COORDINATOR_BILLING_URL}/usage}: tenant, periodStart, periodEnd (RFC 3339
     * UTC, end exclusive), metric, quantity (decimal string with exactly 9 decimals, so a resend is byte-identical), kind (USAGE or ADJUSTMENT),
     * revision and idempotencyKey (also sent as the {@code Idempotency-Key} header).
     */
    public static ObjectNode wire(UsageRecord record) {
        ObjectNode node = Json.object();
        node.put("tenant", record.tenant());
        node.put("periodStart", UtcTimes.format(record.periodStart()));
        node.put("periodEnd", UtcTimes.format(record.periodEnd()));
        node.put("metric", record.metric().wire());
        node.put("quantity", record.quantity().setScale(MetricMapping.SCALE, RoundingMode.UNNECESSARY).toPlainString());
        node.put("kind", record.kind().name());
        node.put("revision", record.revision());
        node.put("idempotencyKey", record.idempotencyKey());
        return node;
    }

    /** The wire fields plus status, attempts, last error and times. */
    public static ObjectNode record(UsageRecord record) {
        ObjectNode node = wire(record);
        node.put("status", record.status().name());
        node.put("attempts", record.attempts());
        if (record.lastError() != null) {
            node.put("lastError", record.lastError());
        }
        node.put("createdAt", UtcTimes.format(record.createdAt()));
        node.put("updatedAt", UtcTimes.format(record.updatedAt()));
        return node;
    }

    /** A sync run's time, counts and the new watermark. */
    public static ObjectNode report(SyncReport report) {
        ObjectNode node = Json.object();
        node.put("ranAt", UtcTimes.format(report.ranAt()));
        node.put("hoursScanned", report.hoursScanned());
        node.put("recordsCreated", report.recordsCreated());
        node.put("adjustments", report.adjustments());
        node.put("synced", report.synced());
        node.put("retried", report.retried());
        node.put("failed", report.failed());
        node.put("deferred", report.deferred());
        node.put("watermark", report.watermark() == null ? null : UtcTimes.format(report.watermark()));
        node.put("lagSeconds", report.lagSeconds());
        return node;
    }
}
