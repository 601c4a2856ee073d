package com.poolhub.metering.aws.quota;

import com.poolhub.metering.aws.dynamodb.CompanionWrites;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * Counts ingested usage against the tenant's quotas: for a minute aggregate that newly counts
 * events, one unconditional update of the resource and unit's quota item that adds to the counter
 * of each quota's period holding the minute (by event time). The exactly-once store applies it in
 * the same transaction as the aggregate, so a redelivered batch never counts twice. Ingested use is
 * never refused (it already happened) but can cross thresholds. Usage of periods that ended before
 * the previous one is not counted: no decision reads those counters any more. Keys without quotas
 * get no companion and stay a single UpdateItem. The counters touched are remembered until
 * {@link #drainTouched()}.
 */
public final class QuotaUsageCompanion implements CompanionWrites<UsageKey, UsageEvent> {
    /** A counter an ingest write added to, and the quota it counts for. */
    public record Touched(PeriodKey key, QuotaLimit quota) {
    }

    private final DynamoQuotaStore store;
    private final QuotaLimitsCache limits;
    private final Clock clock;
    private final Map<PeriodKey, QuotaLimit> touched = new ConcurrentHashMap<>();

    public QuotaUsageCompanion(DynamoQuotaStore store, QuotaLimitsCache limits, Clock clock) {
        this.store = store;
        this.limits = limits;
        this.clock = clock;
    }

    @Override
    public List<Update> updatesFor(UsageKey key, List<UsageEvent> freshEvents) {
        List<QuotaLimit> quotas = limits.limits(key.tenant()).stream()
                .filter(q -> q.covers(key.resource(), key.unit())).toList();
        if (quotas.isEmpty()) {
            return List.of();
        }
        BigDecimal quantity = freshEvents.stream().map(UsageEvent::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (quantity.signum() == 0) {
            return List.of();
        }
        Instant now = clock.instant();
        List<PeriodKey> counters = new ArrayList<>(quotas.size());
        for (QuotaLimit quota : quotas) {
            PeriodKey counter = PeriodKey.of(key.tenant(), quota, key.windowStart());
            if (!counter.start().isBefore(QuotaItem.previousStart(quota.period(), now))) {
                counters.add(counter);
                touched.put(counter, quota);
            }
        }
        return counters.isEmpty() ? List.of() : List.of(store.ingestedAdd(counters, quantity));
    }

    /** The counters added to since the last call (some adds may have failed; reading them is harmless). */
    public List<Touched> drainTouched() {
        List<Touched> drained = new ArrayList<>();
        for (PeriodKey key : List.copyOf(touched.keySet())) {
            QuotaLimit quota = touched.remove(key);
            if (quota != null) {
                drained.add(new Touched(key, quota));
            }
        }
        return drained;
    }
}
