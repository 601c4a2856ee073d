package com.poolhub.metering.aws.quota;

import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Settings for counting ingested usage against quotas: the quotas table, the event bus for
 * threshold announcements, and how long ingest caches a tenant's quotas.
 *
 * @param quotasTable    the quotas table ({@code QUOTAS_TABLE})
 * @param eventBus       the EventBridge bus ({@code EVENT_BUS_NAME})
 * @param limitsCacheTtl {@code QUOTA_LIMITS_CACHE_SECONDS}, default 30
 */
public record QuotaCounting(String quotasTable, String eventBus, Duration limitsCacheTtl) {
    public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(30);

    /** Quota counting when {@code QUOTAS_TABLE} is set (then {@code EVENT_BUS_NAME} is required); none otherwise. */
    public static Optional<QuotaCounting> fromEnv(Env env) {
        if (!env.isSet(Table.QUOTAS.variable())) {
            return Optional.empty();
        }
        return Optional.of(new QuotaCounting(Table.QUOTAS.name(env), env.required("EVENT_BUS_NAME"),
                limitsCacheTtl(env)));
    }

    /** How long ingest caches a tenant's quotas: {@code QUOTA_LIMITS_CACHE_SECONDS}, default 30. */
    public static Duration limitsCacheTtl(Env env) {
        return Duration.ofSeconds(env.intValue("QUOTA_LIMITS_CACHE_SECONDS", (int) DEFAULT_CACHE_TTL.toSeconds()));
    }

    /**
     * The usage store with quota counting: the exactly-once store (built by {@code counting} with
     * the companion) wrapped so that thresholds are announced after each batch.
     */
    public ExactlyOnceStore<UsageEvent, UsageKey> wrap(
            DynamoDbClient dynamo, EventPublisher publisher, Clock clock,
            Function<QuotaUsageCompanion, ExactlyOnceStore<UsageEvent, UsageKey>> counting) {
        DynamoQuotaStore store = new DynamoQuotaStore(dynamo, quotasTable);
        QuotaUsageCompanion companion = new QuotaUsageCompanion(store,
                new QuotaLimitsCache(store::limits, limitsCacheTtl, clock), clock);
        return new QuotaThresholdSweep(counting.apply(companion), companion, store,
                new ThresholdNotifier(store, publisher, clock));
    }
}
