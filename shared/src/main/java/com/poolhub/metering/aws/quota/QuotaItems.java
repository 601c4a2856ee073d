package com.poolhub.metering.aws.quota;

import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.Threshold;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Item layout of the quotas table ({@code Table.QUOTAS}).
 * <ul>
 *   <li>{@code pk = tenant#QUOTA}, {@code sk = RESOURCE#unit}: everything a check or consume of one
 *   resource and unit needs, so that a consume is one conditional UpdateItem. Settings: the version
 *   {@code v} (every change of settings adds one), per period with a quota {@code limit_P},
 *   {@code softLimitPct_P}, {@code hard_P}; the rate limit ({@code perMinute}, {@code burst}) and its
 *   bucket as a theoretical arrival time {@code tat} ({@link com.poolhub.metering.quota.GcraBucket}
 *   ticks; absent is a full bucket). Per period counter, named {@code kind_P_start} with the period's
 *   start in epoch seconds, so a new period starts from absent attributes and a reset is never a
 *   write: {@code used}, {@code ingested} (the ingested part of used), {@code refused},
 *   {@code exceededMinute}, {@code announced_SOFT}, {@code announced_LIMIT}, {@code settleAt},
 *   {@code seededAt}. Counters of periods before the previous one are removed
 *   ({@link QuotaItem#staleAttributes}).</li>
 *   <li>{@code pk = tenant#IDEMPOTENCY}, {@code sk = key}: the response recorded for a consume that
 *   carried an {@code Idempotency-Key} (requestHash, status, response, ttl).</li>
 * </ul>
 */
public final class QuotaItems {
    static final String VERSION = "v";
    static final String PER_MINUTE = "perMinute";
    static final String BURST = "burst";
    static final String TAT = "tat";
    static final String USED = "used";
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
    static final String LIMIT = "limit_";
    static final String SOFT_LIMIT_PCT = "softLimitPct_";
    static final String HARD = "hard_";
    static final String TTL = "ttl";
    static final String ITEM_PARTITION = "#QUOTA";

    private QuotaItems() {
    }

    static String partition(String tenant) {
        return tenant + ITEM_PARTITION;
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(sk));
    }

    /** The item of one (tenant, resource, unit). */
    static Map<String, AttributeValue> itemKey(String tenant, Resource resource, UsageUnit unit) {
        return key(partition(tenant), resource + "#" + unit.wire());
    }

    static Map<String, AttributeValue> itemKey(PeriodKey key) {
        return itemKey(key.tenant(), key.resource(), key.unit());
    }

    /** The name of one period counter's attribute: {@code kind_PERIOD_startEpochSeconds}. */
    static String periodAttribute(String kind, PeriodKey key) {
        return periodAttribute(kind, key.period(), key.start());
    }

    static String periodAttribute(String kind, QuotaPeriod period, Instant start) {
        return kind + "_" + period.name() + "_" + start.getEpochSecond();
    }

    static String announcedKind(Threshold threshold) {
        return "announced_" + threshold.name();
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

    /** The settings attributes of one quota, as a PUT writes them. */
    static Map<String, AttributeValue> limitAttributes(QuotaLimit quota) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put(LIMIT + quota.period(), AttributeValue.fromN(quota.limit().toPlainString()));
        attributes.put(SOFT_LIMIT_PCT + quota.period(), AttributeValue.fromN(quota.softLimitPct().toPlainString()));
        attributes.put(HARD + quota.period(), AttributeValue.fromBool(quota.hard()));
        return attributes;
    }
}
