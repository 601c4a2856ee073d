package com.poolhub.metering.usageapi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.analytics.Anomaly;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces anomalies as {@code UsageAnomalyDetected}, each once: claimed in the {@link AnomalyLog},
 * published, then marked published; a publication that failed is retried on the next run.
 */
public final class AnomalyAnnouncer {
    public static final String ANOMALY_EVENT = "UsageAnomalyDetected";
    private static final Logger LOG = LoggerFactory.getLogger(AnomalyAnnouncer.class);

    private final AnomalyLog log;
    private final EventPublisher publisher;
    private final Clock clock;

    public AnomalyAnnouncer(AnomalyLog log, EventPublisher publisher, Clock clock) {
        this.log = log;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** How many of a tenant's anomalies went out now, and how many are left for the next run. */
    public record Outcome(int published, int unpublished) {
    }

    /** Publishes each anomaly of {@code result} not yet announced. */
    public Outcome announce(AnomalyAnalysis.Result result) {
        String tenant = result.tenant();
        List<Anomaly> toPublish = new ArrayList<>();
        List<DomainEvent> events = new ArrayList<>();
        for (Anomaly anomaly : result.anomalies()) {
            if (log.claim(tenant, anomaly) != AnomalyLog.Claim.PUBLISHED) {
                ObjectNode detail = AnomalyJson.describe(anomaly);
                detail.put("tenant", tenant);
                detail.put("mean", result.stats().mean());
                detail.put("median", result.stats().median());
                detail.put("q1", result.stats().q1());
                detail.put("q3", result.stats().q3());
                detail.put("seriesFrom", result.first().toString());
                detail.put("seriesTo", result.last().toString());
                toPublish.add(anomaly);
                events.add(new DomainEvent(ANOMALY_EVENT, detail, clock.instant()));
            }
        }
        if (events.isEmpty()) {
            return new Outcome(0, 0);
        }
        List<DomainEvent> failed = List.of();
        try {
            publisher.publish(events);
        } catch (PublishException e) {
            LOG.warn("{} of {} anomaly events unpublished for {}; retried on the next run", e.unpublished().size(),
                    events.size(), tenant);
            failed = e.unpublished();
        }
        int published = 0;
        for (int i = 0; i < toPublish.size(); i++) {
            if (!failed.contains(events.get(i))) {
                log.published(tenant, toPublish.get(i));
                published++;
            }
        }
        return new Outcome(published, events.size() - published);
    }
}
