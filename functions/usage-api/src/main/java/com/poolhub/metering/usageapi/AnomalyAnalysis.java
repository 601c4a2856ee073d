package com.poolhub.metering.usageapi;

import com.poolhub.metering.analytics.Anomaly;
import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.analytics.DailyValue;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Outlier days in a tenant's daily cost series: read and detect only, so the usage route and the
 * daily scan see the same anomalies. The series starts at the tenant's first day of use in the range.
 */
public final class AnomalyAnalysis {
    /** How many days, up to yesterday, the scan analyses (and the route by default). */
    public static final int DEFAULT_DAYS = 30;

    private final UsageCosts costs;
    private final AnomalyDetector detector;

    public AnomalyAnalysis(UsageCosts costs, AnomalyDetector detector) {
        this.costs = costs;
        this.detector = detector;
    }

    public AnomalyDetector detector() {
        return detector;
    }

    /** One tenant's series over {@code [first, last]}, its statistics and its anomalies. */
    public record Result(String tenant, LocalDate first, LocalDate last, List<DailyValue> series,
                         AnomalyDetector.Stats stats, List<Anomaly> anomalies) {
    }

    /** The {@code days} days ending on {@code last}, analysed. */
    public Result analyse(String tenant, LocalDate last, int days) {
        LocalDate first = last.minusDays(days - 1L);
        List<DailyValue> series = new ArrayList<>();
        for (UsageCosts.DayCost day : costs.daily(tenant, first, last)) {
            // days before the tenant's first use are not part of its pattern
            if (!series.isEmpty() || day.totalUsd().signum() != 0) {
                series.add(day.asDailyValue());
            }
        }
        return new Result(tenant, first, last, List.copyOf(series), AnomalyDetector.stats(series), detector.detect(series));
    }
}
