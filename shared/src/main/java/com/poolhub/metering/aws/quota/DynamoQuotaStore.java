package com.poolhub.metering.aws.quota;

import com.poolhub.metering.aws.dynamodb.BatchReader;
import com.poolhub.metering.quota.BucketState;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.quota.TenantQuotas;
import com.poolhub.metering.quota.Threshold;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Quota settings, rate buckets and period counters in DynamoDB (layout in {@link QuotaItems}).
 * A consume is one conditional write: an UpdateItem when one item moves, a TransactWriteItems when
 * the bucket and counters (or several counters) must move together. Hard limits are enforced by
 * the write's own condition ({@code used <= limit - amount}), the bucket by a condition on the
 * state that was read, so racing callers can never overspend and a failed write changes nothing.
 * A consume with an idempotency key is always a TransactWriteItems that also puts the key's record.
 */
public final class DynamoQuotaStore {
    private final DynamoDbClient dynamo;
    private final String table;
    private final BatchReader reader;

    public DynamoQuotaStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.reader = new BatchReader(dynamo);
    }

    public String table() {
        return table;
    }

    /** A tenant's quotas, rate limit and bucket: one consistent Query. */
    public TenantQuotas read(String tenant) {
        List<QuotaLimit> limits = new ArrayList<>();
        RateLimit rate = null;
        BucketState bucket = null;
        for (Map<String, AttributeValue> item : query(tenant, null, true)) {
            String sk = item.get("sk").s();
            if (sk.startsWith(QuotaItems.LIMIT_PREFIX)) {
                limits.add(QuotaItems.decodeLimit(item));
            } else if (sk.equals(QuotaItems.RATE)) {
                rate = QuotaItems.decodeRate(item);
            } else if (sk.equals(QuotaItems.BUCKET)) {
                bucket = QuotaItems.decodeBucket(item);
            }
        }
        return new TenantQuotas(tenant, limits, rate, bucket);
    }

    /**
     * What a check or a consume of one resource and unit reads: the tenant's quotas on it, rate
     * limit and bucket ({@code settings}, whose {@code limits} are only those of the resource and
     * unit), and the counters of those quotas' periods holding the time asked for ({@code use}).
     */
    public record Snapshot(TenantQuotas settings, Map<PeriodKey, PeriodUse> use) {
    }

    /**
     * Reads a {@link Snapshot} in one consistent BatchGetItem. Every key is known before the read:
     * the three possible quotas of the resource and unit (one per period), the rate limit, the
     * bucket, and the counter of each period holding {@code now}; items that are absent mean no
     * quota, no rate limit, a full bucket, a counter at zero.
     */
    public Snapshot readFor(String tenant, Resource resource, UsageUnit unit, Instant now) {
        Map<QuotaPeriod, Map<String, AttributeValue>> limitKeys = new EnumMap<>(QuotaPeriod.class);
        Map<QuotaPeriod, PeriodKey> periodKeys = new EnumMap<>(QuotaPeriod.class);
        Set<Map<String, AttributeValue>> keys = new LinkedHashSet<>();
        for (QuotaPeriod period : QuotaPeriod.values()) {
            limitKeys.put(period, QuotaItems.limitKey(tenant, resource, unit, period));
            periodKeys.put(period, new PeriodKey(tenant, resource, unit, period, period.start(now)));
            keys.add(limitKeys.get(period));
            keys.add(QuotaItems.counterKey(periodKeys.get(period)));
        }
        keys.add(QuotaItems.rateKey(tenant));
        keys.add(QuotaItems.bucketKey(tenant));
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = reader.read(table, keys)
                .itemsOr(cause -> new QuotaStoreException("quota settings and counters could not be read", cause));
        List<QuotaLimit> limits = new ArrayList<>();
        Map<PeriodKey, PeriodUse> use = new LinkedHashMap<>();
        for (QuotaPeriod period : QuotaPeriod.values()) {
            Map<String, AttributeValue> limit = items.get(limitKeys.get(period));
            if (limit != null) {
                limits.add(QuotaItems.decodeLimit(limit));
                PeriodKey key = periodKeys.get(period);
                use.put(key, QuotaItems.decodeUse(items.get(QuotaItems.counterKey(key))));
            }
        }
        Map<String, AttributeValue> rate = items.get(QuotaItems.rateKey(tenant));
        Map<String, AttributeValue> bucket = items.get(QuotaItems.bucketKey(tenant));
        return new Snapshot(new TenantQuotas(tenant, limits, rate == null ? null : QuotaItems.decodeRate(rate),
                bucket == null ? null : QuotaItems.decodeBucket(bucket)), use);
    }

    /** A tenant's quotas only (an eventually consistent Query), for callers that cache them. */
    public List<QuotaLimit> limits(String tenant) {
        return query(tenant, QuotaItems.LIMIT_PREFIX, false).stream().map(QuotaItems::decodeLimit).toList();
    }

    private List<Map<String, AttributeValue>> query(String tenant, String prefix, boolean consistent) {
        Map<String, String> names = new HashMap<>(Map.of("#pk", "pk"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":pk",
                AttributeValue.fromS(QuotaItems.configPartition(tenant))));
        String condition = "#pk = :pk";
        if (prefix != null) {
            names.put("#sk", "sk");
            values.put(":prefix", AttributeValue.fromS(prefix));
            condition += " AND begins_with(#sk, :prefix)";
        }
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression(condition).expressionAttributeNames(names)
                    .expressionAttributeValues(values).consistentRead(consistent).exclusiveStartKey(start)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** The use of each period counter (consistent BatchGetItem); absent counters are zero. */
    public Map<PeriodKey, PeriodUse> use(Collection<PeriodKey> keys) {
        Map<Map<String, AttributeValue>, PeriodKey> byItemKey = new LinkedHashMap<>();
        keys.forEach(key -> byItemKey.put(QuotaItems.counterKey(key), key));
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = reader.read(table, byItemKey.keySet())
                .itemsOr(cause -> new QuotaStoreException("quota counters could not be read", cause));
        Map<PeriodKey, PeriodUse> use = new LinkedHashMap<>();
        byItemKey.forEach((itemKey, key) -> use.put(key, QuotaItems.decodeUse(items.get(itemKey))));
        return use;
    }

    /** Sets (creates or replaces) one quota. */
    public void putLimit(String tenant, QuotaLimit quota, Instant now) {
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(QuotaItems.limitItem(tenant, quota, now))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
    }

    /** Sets the tenant's rate limit; its bucket keeps its level (capped at the new burst on next use). */
    public void putRate(String tenant, RateLimit rate, Instant now) {
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(QuotaItems.rateItem(tenant, rate, now))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
    }

    /** Removes the tenant's rate limit. */
    public void removeRate(String tenant) {
        dynamo.deleteItem(DeleteItemRequest.builder().tableName(table).key(QuotaItems.rateKey(tenant))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
    }

    /** One counter's share of a consume: add {@code amount}; for a hard quota only while {@code used <= maxBefore}. */
    public record CounterAdd(PeriodKey key, BigDecimal amount, BigDecimal maxBefore) {
    }

    /** The bucket's share of a consume: move from the state read to the next one. */
    public record BucketMove(BucketState expected, BucketState next) {
    }

    /** How a consume write ended. */
    public enum WriteResult {
        /** Everything moved. */
        WRITTEN,
        /** The bucket changed since it was read: read again and retry. */
        BUCKET_CHANGED,
        /** A hard counter's condition failed: its use grew since it was read. */
        LIMIT_REACHED,
        /** Another transaction held an item: retry. */
        CONFLICT,
        /** The idempotency key already holds a live record: nothing moved; replay it. */
        ALREADY_RECORDED
    }

    /**
     * Applies a consume as one conditional write: nothing moves unless everything does.
     *
     * @param bucket null when the tenant has no rate limit
     */
    public WriteResult consume(String tenant, BucketMove bucket, List<CounterAdd> counters) {
        return consume(tenant, bucket, counters, null, null);
    }

    /**
     * Applies a consume as one conditional write and, when {@code record} is given, records its
     * response under the idempotency key in the same TransactWriteItems, only if the key holds no
     * record live at {@code now}: nothing moves unless everything does.
     *
     * @param bucket null when the tenant has no rate limit
     * @param record null for a consume without an idempotency key
     */
    public WriteResult consume(String tenant, BucketMove bucket, List<CounterAdd> counters, IdempotentResponse record,
                               Instant now) {
        List<Update> updates = new ArrayList<>();
        if (bucket != null) {
            updates.add(bucketUpdate(tenant, bucket));
        }
        counters.forEach(add -> updates.add(counterAdd(add.key(), add.amount(), add.maxBefore())));
        boolean bucketFirst = bucket != null;
        if (record == null && updates.isEmpty()) {
            return WriteResult.WRITTEN;
        }
        if (record == null && updates.size() == 1) {
            Update only = updates.get(0);
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(only.tableName()).key(only.key())
                        .updateExpression(only.updateExpression()).conditionExpression(only.conditionExpression())
                        .expressionAttributeNames(only.expressionAttributeNames())
                        .expressionAttributeValues(only.expressionAttributeValues())
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
                return WriteResult.WRITTEN;
            } catch (ConditionalCheckFailedException failed) {
                return bucketFirst ? WriteResult.BUCKET_CHANGED : WriteResult.LIMIT_REACHED;
            } catch (TransactionConflictException conflict) {
                return WriteResult.CONFLICT;
            }
        }
        List<TransactWriteItem> items = new ArrayList<>();
        updates.forEach(u -> items.add(TransactWriteItem.builder().update(u).build()));
        int recordIndex = -1;
        if (record != null) {
            recordIndex = items.size();
            items.add(TransactWriteItem.builder().put(recordPut(tenant, record, now)).build());
        }
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            return WriteResult.WRITTEN;
        } catch (TransactionCanceledException cancelled) {
            return cancellation(cancelled, bucketFirst, recordIndex);
        }
    }

    /** Puts the record unless the key holds one that is still live (an expired one TTL has not yet deleted is replaced). */
    private Put recordPut(String tenant, IdempotentResponse record, Instant now) {
        return Put.builder().tableName(table).item(QuotaItems.idempotencyItem(tenant, record))
                .conditionExpression("attribute_not_exists(#pk) OR #ttl <= :now")
                .expressionAttributeNames(Map.of("#pk", "pk", "#ttl", QuotaItems.TTL))
                .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                .build();
    }

    /** The record held under an idempotency key if it is live at {@code now} (one consistent GetItem). */
    public Optional<IdempotentResponse> recorded(String tenant, String key, Instant now) {
        GetItemResponse found = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(QuotaItems.idempotencyKey(tenant, key)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        if (!found.hasItem() || found.item().isEmpty()) {
            return Optional.empty();
        }
        IdempotentResponse record = QuotaItems.decodeIdempotency(found.item());
        return record.liveAt(now) ? Optional.of(record) : Optional.empty();
    }

    private static WriteResult cancellation(TransactionCanceledException cancelled, boolean bucketFirst, int recordIndex) {
        if (!cancelled.hasCancellationReasons()) {
            throw cancelled;
        }
        List<CancellationReason> reasons = cancelled.cancellationReasons();
        if (recordIndex >= 0 && recordIndex < reasons.size()
                && "ConditionalCheckFailed".equals(reasons.get(recordIndex).code())) {
            return WriteResult.ALREADY_RECORDED;
        }
        boolean conflict = false;
        for (int i = 0; i < reasons.size(); i++) {
            String code = reasons.get(i).code();
            if ("ConditionalCheckFailed".equals(code)) {
                return i == 0 && bucketFirst ? WriteResult.BUCKET_CHANGED : WriteResult.LIMIT_REACHED;
            }
            conflict |= "TransactionConflict".equals(code);
        }
        if (conflict) {
            return WriteResult.CONFLICT;
        }
        throw cancelled;
    }

    private Update bucketUpdate(String tenant, BucketMove move) {
        Map<String, String> names = Map.of("#level", QuotaItems.LEVEL, "#at", QuotaItems.AT, "#tenant", "tenant");
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":level", AttributeValue.fromN(Long.toString(move.next().level())));
        values.put(":at", AttributeValue.fromN(Long.toString(move.next().atMillis())));
        values.put(":tenant", AttributeValue.fromS(tenant));
        String condition;
        if (move.expected() == null) {
            condition = "attribute_not_exists(#level)";
        } else {
            condition = "#level = :readLevel AND #at = :readAt";
            values.put(":readLevel", AttributeValue.fromN(Long.toString(move.expected().level())));
            values.put(":readAt", AttributeValue.fromN(Long.toString(move.expected().atMillis())));
        }
        return Update.builder().tableName(table).key(QuotaItems.bucketKey(tenant))
                .updateExpression("SET #level = :level, #at = :at, #tenant = :tenant")
                .conditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .build();
    }

    /**
     * Adds to one period counter, creating it on first use. With {@code maxBefore} the add only
     * happens while {@code used <= maxBefore} (a hard limit of {@code maxBefore + amount}); without,
     * it always happens (ingested use, soft quotas).
     */
    public Update counterAdd(PeriodKey key, BigDecimal amount, BigDecimal maxBefore) {
        return counterAdd(key, amount, maxBefore, false);
    }

    /**
     * Adds ingested use to one period counter: {@code used} and its ingested share {@code ingested}
     * (which a {@link #seed} reconciles with the usage aggregates) move together.
     */
    public Update ingestedAdd(PeriodKey key, BigDecimal amount) {
        return counterAdd(key, amount, null, true);
    }

    private Update counterAdd(PeriodKey key, BigDecimal amount, BigDecimal maxBefore, boolean ingested) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#used", QuotaItems.USED);
        values.put(":amount", AttributeValue.fromN(amount.toPlainString()));
        String add = "ADD #used :amount";
        if (ingested) {
            names.put("#ingested", QuotaItems.INGESTED);
            add += ", #ingested :amount";
        }
        String set = describe(key, names, values);
        Update.Builder update = Update.builder().tableName(table).key(QuotaItems.counterKey(key))
                .updateExpression(add + set);
        if (maxBefore != null) {
            update.conditionExpression("attribute_not_exists(#used) OR #used <= :max");
            values.put(":max", AttributeValue.fromN(maxBefore.toPlainString()));
        }
        return update.expressionAttributeNames(names).expressionAttributeValues(values).build();
    }

    /**
     * The {@code SET} clause that writes a counter's descriptive attributes (tenant, resource, unit,
     * period, periodStart, ttl), so that whichever write creates the counter leaves it complete.
     */
    private static String describe(PeriodKey key, Map<String, String> names, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> descriptive = new LinkedHashMap<>();
        descriptive.put("tenant", AttributeValue.fromS(key.tenant()));
        descriptive.put("resource", AttributeValue.fromS(key.resource().name()));
        descriptive.put("unit", AttributeValue.fromS(key.unit().wire()));
        descriptive.put("period", AttributeValue.fromS(key.period().name()));
        descriptive.put("periodStart", AttributeValue.fromS(UtcTimes.format(key.start())));
        descriptive.put("ttl", AttributeValue.fromN(Long.toString(
                key.resetAt().plus(QuotaItems.COUNTER_RETENTION).getEpochSecond())));
        StringBuilder set = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, AttributeValue> attribute : descriptive.entrySet()) {
            names.put("#d" + i, attribute.getKey());
            values.put(":d" + i, attribute.getValue());
            set.append(i == 0 ? " SET " : ", ").append("#d").append(i).append(" = :d").append(i);
            i++;
        }
        return set.toString();
    }

    /**
     * A refusal counted on a period counter.
     *
     * @param refusals the refusals of the quota in the period so far, this one included
     * @param announce true for exactly one refusal per counter and UTC minute: the first one the
     *                 counter saw in that minute, which publishes {@code QuotaExceeded}
     */
    public record Refusal(long refusals, boolean announce) {
    }

    /**
     * Counts one refusal of a hard quota on its period counter and marks the minute of {@code now}
     * as announced: one UpdateItem ({@code ADD refused 1, SET exceededMinute}) returning the old
     * values. Writes to one item are serialised, so exactly one refusal per minute sees another
     * minute (or none) there and announces.
     */
    public Refusal refused(PeriodKey key, Instant now) {
        Map<String, String> names = new HashMap<>(Map.of("#refused", QuotaItems.REFUSED,
                "#minute", QuotaItems.EXCEEDED_MINUTE));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":one", AttributeValue.fromN("1")));
        String minute = UtcTimes.format(now.truncatedTo(ChronoUnit.MINUTES));
        values.put(":minute", AttributeValue.fromS(minute));
        String set = describe(key, names, values);
        UpdateItemResponse response = dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                .key(QuotaItems.counterKey(key))
                .updateExpression("ADD #refused :one" + set + ", #minute = :minute")
                .expressionAttributeNames(names).expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_OLD)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        Map<String, AttributeValue> old = response.hasAttributes() ? response.attributes() : Map.of();
        AttributeValue before = old.get(QuotaItems.REFUSED);
        AttributeValue announcedMinute = old.get(QuotaItems.EXCEEDED_MINUTE);
        long refusals = (before == null ? 0 : Long.parseLong(before.n())) + 1;
        return new Refusal(refusals, announcedMinute == null || !announcedMinute.s().equals(minute));
    }

    /** The ingested share of a period counter, as read consistently; zero when absent. */
    public BigDecimal ingested(PeriodKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(QuotaItems.counterKey(key)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).item();
        AttributeValue ingested = item == null ? null : item.get(QuotaItems.INGESTED);
        return ingested == null ? BigDecimal.ZERO : new BigDecimal(ingested.n());
    }

    /**
     * Makes the counter's ingested share {@code aggregated} (the period's ingested use so far), moving
     * {@code used} by the difference, only if the share is still {@code ingestedRead}: an ingest ADD
     * since the read fails the write, so no usage is both in the aggregates read and added again.
     * Consumed amounts in {@code used} are kept. Records the time in {@code seededAt}, and sets
     * {@code settleAt} (or removes it when null).
     *
     * @param settleAt when the counter must be reconciled once more; null when this is the last time
     * @return false when the share moved since it was read (read both again and retry)
     */
    public boolean seed(PeriodKey key, BigDecimal ingestedRead, BigDecimal aggregated, Instant now, Instant settleAt) {
        Update base = counterAdd(key, aggregated.subtract(ingestedRead), null, false);
        Map<String, String> names = new HashMap<>(base.expressionAttributeNames());
        Map<String, AttributeValue> values = new HashMap<>(base.expressionAttributeValues());
        names.put("#ingested", QuotaItems.INGESTED);
        names.put("#seededAt", QuotaItems.SEEDED_AT);
        values.put(":aggregated", AttributeValue.fromN(aggregated.toPlainString()));
        values.put(":seededAt", AttributeValue.fromS(UtcTimes.format(now)));
        String condition = ingestedRead.signum() == 0 ? "attribute_not_exists(#ingested) OR #ingested = :read"
                : "#ingested = :read";
        values.put(":read", AttributeValue.fromN(ingestedRead.toPlainString()));
        names.put("#settleAt", QuotaItems.SETTLE_AT);
        String settle = " REMOVE #settleAt";
        if (settleAt != null) {
            values.put(":settleAt", AttributeValue.fromS(UtcTimes.format(settleAt)));
            settle = ", #settleAt = :settleAt";
        }
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(base.key())
                    .updateExpression(base.updateExpression()
                            + ", #ingested = :aggregated, #seededAt = :seededAt" + settle)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    /**
     * Marks a threshold of a period as announced, only if it is not yet and the use has reached it.
     * Exactly one caller wins per threshold and period.
     *
     * @return the mark written, or null when another caller holds it (or the use is below)
     */
    public String claim(PeriodKey key, Threshold threshold, BigDecimal amountAt, Instant now) {
        String mark = UtcTimes.format(now) + "#" + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(QuotaItems.counterKey(key))
                    .updateExpression("SET #flag = :mark")
                    .conditionExpression("attribute_not_exists(#flag) AND #used >= :threshold")
                    .expressionAttributeNames(Map.of("#flag", QuotaItems.announcedAttribute(threshold), "#used", QuotaItems.USED))
                    .expressionAttributeValues(Map.of(":mark", AttributeValue.fromS(mark),
                            ":threshold", AttributeValue.fromN(amountAt.toPlainString())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            return mark;
        } catch (ConditionalCheckFailedException taken) {
            return null;
        }
    }

    /** Gives a claimed mark back (its announcement could not be published), so a later caller retries. */
    public void release(PeriodKey key, Threshold threshold, String mark) {
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(QuotaItems.counterKey(key))
                    .updateExpression("REMOVE #flag").conditionExpression("#flag = :mark")
                    .expressionAttributeNames(Map.of("#flag", QuotaItems.announcedAttribute(threshold)))
                    .expressionAttributeValues(Map.of(":mark", AttributeValue.fromS(mark)))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        } catch (ConditionalCheckFailedException notOurs) {
            // someone else's mark: leave it
        }
    }
}
