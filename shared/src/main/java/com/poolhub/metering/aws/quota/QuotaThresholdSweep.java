package com.poolhub.metering.aws.quota;

import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After ingest applied a batch, reads the quota counters it added to (one consistent BatchGetItem
 * per 100) and announces thresholds they reached. Counting never depends on this step: if it fails,
 * the next batch or consume that sees the counter announces instead.
 */
public final class QuotaThresholdSweep implements ExactlyOnceStore<UsageEvent, UsageKey> {
    private static final Logger LOG = LoggerFactory.getLogger(QuotaThresholdSweep.class);

    private final ExactlyOnceStore<UsageEvent, UsageKey> counting;
    private final QuotaUsageCompanion companion;
    private final DynamoQuotaStore store;
    private final ThresholdNotifier notifier;

    public QuotaThresholdSweep(ExactlyOnceStore<UsageEvent, UsageKey> counting, QuotaUsageCompanion companion,
                               DynamoQuotaStore store, ThresholdNotifier notifier) {
        this.counting = counting;
        this.companion = companion;
        this.store = store;
        this.notifier = notifier;
    }

    @Override
    public ApplyOutcome<UsageKey, UsageEvent> apply(Map<UsageKey, List<UsageEvent>> eventsByKey) {
        ApplyOutcome<UsageKey, UsageEvent> outcome = counting.apply(eventsByKey);
        List<QuotaUsageCompanion.Touched> touched = companion.drainTouched();
        if (!touched.isEmpty()) {
            try {
                Map<PeriodKey, PeriodUse> use = store.use(touched.stream().map(QuotaUsageCompanion.Touched::key)
                        .collect(Collectors.toList()));
                for (QuotaUsageCompanion.Touched counter : touched) {
                    PeriodUse seen = use.get(counter.key());
                    notifier.announce(counter.key(), counter.quota(), seen, seen.used());
                }
            } catch (RuntimeException e) {
                LOG.warn("quota thresholds not checked after ingest: counters={} error={}", touched.size(),
                        e.getClass().getSimpleName());
            }
        }
        return outcome;
    }
}
