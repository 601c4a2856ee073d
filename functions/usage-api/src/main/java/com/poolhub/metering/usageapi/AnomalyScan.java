package com.poolhub.metering.usageapi;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily anomaly scan: every tenant with usage in the last {@link AnomalyAnalysis#DEFAULT_DAYS}
 * days up to yesterday (UTC) is analysed, and each anomaly found is announced once. A tenant whose
 * usage cannot be analysed (e.g. not priced) is counted as failed and the scan goes on.
 */
public final class AnomalyScan {
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyScan.class);

    private final UsageTenants tenants;
    private final AnomalyAnalysis analysis;
    private final AnomalyAnnouncer announcer;
    private final Clock clock;

    public AnomalyScan(UsageTenants tenants, AnomalyAnalysis analysis, AnomalyAnnouncer announcer, Clock clock) {
        this.tenants = tenants;
        this.analysis = analysis;
        this.announcer = announcer;
        this.clock = clock;
    }

    /** What one scan did. */
    public record Report(int tenants, int anomalies, int published, int unpublished, int failedTenants) {
    }

    public Report run() {
        LocalDate last = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        LocalDate first = last.minusDays(AnomalyAnalysis.DEFAULT_DAYS - 1L);
        int scanned = 0;
        int anomalies = 0;
        int published = 0;
        int unpublished = 0;
        int failed = 0;
        for (String tenant : tenants.withUsage(first, last)) {
            scanned++;
            try {
                AnomalyAnalysis.Result result = analysis.analyse(tenant, last, AnomalyAnalysis.DEFAULT_DAYS);
                AnomalyAnnouncer.Outcome outcome = announcer.announce(result);
                anomalies += result.anomalies().size();
                published += outcome.published();
                unpublished += outcome.unpublished();
            } catch (RuntimeException e) {
                LOG.error("anomaly scan of {} failed; retried on the next run", tenant, e);
                failed++;
            }
        }
        return new Report(scanned, anomalies, published, unpublished, failed);
    }
}
