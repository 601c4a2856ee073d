package com.poolhub.metering.aws.quota;

import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaEvents;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.Threshold;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces {@code QuotaThresholdCrossed} once per threshold per period. Whoever observes a use at
 * or above a threshold that is not marked announced claims the mark with a conditional write; only
 * the winner publishes. If publishing fails the mark is given back, so the next observer (a later
 * consume or ingest batch) tries again. Never throws: announcing must not fail the use it follows.
 */
public final class ThresholdNotifier {
    private static final Logger LOG = LoggerFactory.getLogger(ThresholdNotifier.class);

    private final DynamoQuotaStore store;
    private final EventPublisher publisher;
    private final Clock clock;

    public ThresholdNotifier(DynamoQuotaStore store, EventPublisher publisher, Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * @param seen    the counter as read (which thresholds it had announced)
     * @param usedNow the use now known to be in the counter
     * @return the thresholds this call announced
     */
    public List<Threshold> announce(PeriodKey key, QuotaLimit quota, PeriodUse seen, BigDecimal usedNow) {
        List<Threshold> pending = seen.unannounced(quota, usedNow);
        List<Threshold> announced = new java.util.ArrayList<>();
        for (Threshold threshold : pending) {
            String mark = null;
            try {
                mark = store.claim(key, threshold, quota.amountAt(threshold), clock.instant());
                if (mark == null) {
                    continue;
                }
                publisher.publish(List.of(QuotaEvents.thresholdCrossed(key.tenant(), quota, threshold, key.start(),
                        usedNow, clock.instant())));
                announced.add(threshold);
            } catch (RuntimeException e) {
                LOG.warn("quota threshold not announced yet: tenant={} quota={}/{}/{} threshold={} error={}",
                        key.tenant(), quota.resource(), quota.unit().wire(), quota.period(), threshold,
                        e.getClass().getSimpleName());
                if (mark != null) {
                    releaseQuietly(key, threshold, mark);
                }
            }
        }
        return announced;
    }

    private void releaseQuietly(PeriodKey key, Threshold threshold, String mark) {
        try {
            store.release(key, threshold, mark);
        } catch (RuntimeException e) {
            LOG.warn("quota threshold mark kept after a failed announcement: tenant={} threshold={} error={}",
                    key.tenant(), threshold, e.getClass().getSimpleName());
        }
    }
}
