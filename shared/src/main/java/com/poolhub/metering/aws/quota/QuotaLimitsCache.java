package com.poolhub.metering.aws.quota;

import com.poolhub.metering.quota.QuotaLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Each tenant's quotas, kept per container for a short time so that ingest does not read them for
 * every key. A change of limits reaches ingest within the time to live.
 */
public final class QuotaLimitsCache {
    private record Entry(List<QuotaLimit> limits, Instant loadedAt) {
    }

    private final Function<String, List<QuotaLimit>> loader;
    private final Duration timeToLive;
    private final Clock clock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public QuotaLimitsCache(Function<String, List<QuotaLimit>> loader, Duration timeToLive, Clock clock) {
        this.loader = loader;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    /** The tenant's quotas, loaded when missing or older than the time to live. */
    public List<QuotaLimit> limits(String tenant) {
        Instant now = clock.instant();
        Entry entry = entries.get(tenant);
        if (entry == null || !now.isBefore(entry.loadedAt().plus(timeToLive))) {
            entry = new Entry(loader.apply(tenant), now);
            entries.put(tenant, entry);
        }
        return entry.limits();
    }
}
