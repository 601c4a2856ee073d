package com.poolhub.metering.billing;

import com.poolhub.metering.metrics.EmfMetrics;

/** Writes a sync run's figures as CloudWatch metrics (EMF). */
public final class SyncMetrics {
    private SyncMetrics() {
    }

    public static void emit(SyncReport report, EmfMetrics metrics) {
        metrics.count("RecordsSynced", report.synced())
                .count("RecordsFailed", report.failed())
                .count("RecordsRetried", report.retried())
                .count("RecordsDeferred", report.deferred())
                .count("RecordsCreated", report.recordsCreated())
                .count("Adjustments", report.adjustments())
                .seconds("WatermarkLag", report.lagSeconds())
                .flush();
    }
}
