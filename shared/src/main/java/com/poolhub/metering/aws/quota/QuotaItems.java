package com.poolhub.metering.aws.quota;

import com.poolhub.metering.quota.BucketState;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.quota.Threshold;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item layout of the quotas table ({@code Table.QUOTAS}).
 * <ul>
 *   <li>{@code pk = tenant#CONFIG}: {@code sk = LIMIT#RESOURCE#unit#PERIOD} one quota (limit,
 *   softLimitPct, hard); {@code sk = RATE} the rate limit (perMinute, burst); {@code sk = BUCKET}
 *   the rate bucket (level in 1/60,000 tokens, at in epoch ms). One Query reads them all.</li>
 *   <li>{@code pk = tenant#USE}, {@code sk = RESOURCE#unit#PERIOD#periodStart}: one period's use
 *   ({@code used}, exact) and the thresholds already announced ({@code announced_SOFT},
 *   {@code announced_LIMIT}), the hard refusals so far ({@code refused}) and the minute whose first
 *   refusal announced {@code QuotaExceeded} ({@code exceededMinute}). A new period is a new item, so a reset is never a write; counters
 *   expire {@link #COUNTER_RETENTION} after their period ends.</li>
 *   <li>{@code pk = tenant#IDEMPOTENCY}, {@code sk = key}: the response recorded for a consume that
 *   carried an {@code Idempotency-Key} (requestHash, status, response, ttl).</li>
 * </ul>
 */
public final class QuotaItems {
    /** Counters outlive their period by the late-arrival limit of ingest and a few days. */
    public static final Duration COUNTER_RETENTION = Duration.ofDays(40);
    /** On counters: the part of {@code used} that is ingested usage. */
    static final String INGESTED = "ingested";
    /** On counters: when the ingested share was last reconciled with the usage aggregates. */
    static final String SEEDED_AT = "seededAt";
    /** On counters: when the ingested share must be reconciled once more (every ingest counts the quota by then). */
    static final String SETTLE_AT = "settleAt";
    /** On counters: the hard refusals of the period so far. */
    static final String REFUSED = "refused";
    /** On counters: the UTC minute whose first refusal announced {@code QuotaExceeded}. */
    static final String EXCEEDED_MINUTE = "exceededMinute";
    static final String LIMIT_PREFIX = "LIMIT#";
    static final String RATE = "RATE";
    static final String BUCKET = "BUCKET";
    static final String USED = "used";
    static final String LEVEL = "level";
    static final String AT = "at";
    static final String TTL = "ttl";

    private QuotaItems() {
    }

    static String configPartition(String tenant) {
        return tenant + "#CONFIG";
    }

    static String usePartition(String tenant) {
        return tenant + "#USE";
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    static Map<String, AttributeValue> idempotencyKey(String tenant, String key) {
        return key(tenant + "#IDEMPOTENCY", key);
    }

    static Map<String, AttributeValue> idempotencyItem(String tenant, IdempotentResponse response) {
        Map<String, AttributeValue> item = new HashMap<>(idempotencyKey(tenant, response.key()));
        item.put("tenant", AttributeValue.fromS(tenant));
        item.put("requestHash", AttributeValue.fromS(response.requestHash()));
        item.put("status", AttributeValue.fromN(Integer.toString(response.status())));
        item.put("response", AttributeValue.fromS(response.body()));
        item.put(TTL, AttributeValue.fromN(Long.toString(response.expiresAt().getEpochSecond())));
        return item;
    }

    static IdempotentResponse decodeIdempotency(Map<String, AttributeValue> item) {
        return new IdempotentResponse(item.get("sk").s(), item.get("requestHash").s(),
                Integer.parseInt(item.get("status").n()), item.get("response").s(),
                Instant.ofEpochSecond(Long.parseLong(item.get(TTL).n())));
    }

    static Map<String, AttributeValue> limitKey(String tenant, QuotaLimit quota) {
        return limitKey(tenant, quota.resource(), quota.unit(), quota.period());
    }

    static Map<String, AttributeValue> limitKey(String tenant, Resource resource, UsageUnit unit, QuotaPeriod period) {
        return key(configPartition(tenant), LIMIT_PREFIX + resource + "#" + unit.wire() + "#" + period);
    }

    static Map<String, AttributeValue> rateKey(String tenant) {
        return key(configPartition(tenant), RATE);
    }

    static Map<String, AttributeValue> bucketKey(String tenant) {
        return key(configPartition(tenant), BUCKET);
    }

    static Map<String, AttributeValue> counterKey(PeriodKey key) {
        return key(usePartition(key.tenant()), key.resource() + "#" + key.unit().wire() + "#" + key.period() + "#"
                + UtcTimes.format(key.start()));
    }

    static String announcedAttribute(Threshold threshold) {
        return "announced_" + threshold.name();
    }

    static Map<String, AttributeValue> limitItem(String tenant, QuotaLimit quota, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(limitKey(tenant, quota));
        item.put("tenant", AttributeValue.fromS(tenant));
        item.put("resource", AttributeValue.fromS(quota.resource().name()));
        item.put("unit", AttributeValue.fromS(quota.unit().wire()));
        item.put("period", AttributeValue.fromS(quota.period().name()));
        item.put("limit", AttributeValue.fromN(quota.limit().toPlainString()));
        item.put("softLimitPct", AttributeValue.fromN(quota.softLimitPct().toPlainString()));
        item.put("hard", AttributeValue.fromBool(quota.hard()));
        item.put("updatedAt", AttributeValue.fromS(UtcTimes.format(now)));
        return item;
    }

    static QuotaLimit decodeLimit(Map<String, AttributeValue> item) {
        return new QuotaLimit(Resource.valueOf(item.get("resource").s()),
                UsageUnit.parse(item.get("unit").s()).orElseThrow(),
                QuotaPeriod.valueOf(item.get("period").s()),
                new BigDecimal(item.get("limit").n()),
                new BigDecimal(item.get("softLimitPct").n()),
                item.get("hard").bool());
    }

    static Map<String, AttributeValue> rateItem(String tenant, RateLimit rate, Instant now) {
        Map<String, AttributeValue> item = new HashMap<>(rateKey(tenant));
        item.put("tenant", AttributeValue.fromS(tenant));
        item.put("perMinute", AttributeValue.fromN(Long.toString(rate.perMinute())));
        item.put("burst", AttributeValue.fromN(Long.toString(rate.burst())));
        item.put("updatedAt", AttributeValue.fromS(UtcTimes.format(now)));
        return item;
    }

    static RateLimit decodeRate(Map<String, AttributeValue> item) {
        return new RateLimit(Long.parseLong(item.get("perMinute").n()), Long.parseLong(item.get("burst").n()));
    }

    static BucketState decodeBucket(Map<String, AttributeValue> item) {
        return new BucketState(Long.parseLong(item.get(LEVEL).n()), Long.parseLong(item.get(AT).n()));
    }

    static PeriodUse decodeUse(Map<String, AttributeValue> item) {
        if (item == null) {
            return PeriodUse.NONE;
        }
        AttributeValue used = item.get(USED);
        Set<Threshold> announced = EnumSet.noneOf(Threshold.class);
        for (Threshold threshold : Threshold.values()) {
            if (item.containsKey(announcedAttribute(threshold))) {
                announced.add(threshold);
            }
        }
        AttributeValue settleAt = item.get(SETTLE_AT);
        return new PeriodUse(used == null ? BigDecimal.ZERO : new BigDecimal(used.n()), announced,
                settleAt == null ? null : Instant.parse(settleAt.s()));
    }
}
