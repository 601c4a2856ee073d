package com.poolhub.metering.aws.quota;

import com.poolhub.metering.aws.dynamodb.BatchReader;
import com.poolhub.metering.quota.GcraBucket;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.PeriodUse;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.quota.Threshold;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Quota settings, rate buckets and period counters in DynamoDB, one item per (tenant, resource,
 * unit) (layout in {@link QuotaItems}). A consume is one conditional UpdateItem on that item: it
 * adds the amount to every period's counter and moves the bucket's TAT, on the condition that the
 * settings version is the one decided on, each hard counter stays within its limit and the bucket
 * has a token; it returns the new item, or the old one when the condition fails, so neither a grant
 * nor a refusal needs another read. Racing callers can never overspend and a failed write changes
 * nothing. A consume with an idempotency key is a TransactWriteItems of the same update and the
 * key's record.
 */
public final class DynamoQuotaStore {
    private static final int MAX_SETTING_ROUNDS = 8;

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

    /** The item of one resource and unit, read consistently (one GetItem); empty when it has no settings. */
    public Optional<QuotaItem> item(String tenant, Resource resource, UsageUnit unit) {
        GetItemResponse found = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(QuotaItems.itemKey(tenant, resource, unit)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        return Optional.ofNullable(found.hasItem() ? QuotaItem.decode(found.item()) : null);
    }

    /** Every item of a tenant (one consistent Query), by resource and unit. */
    public List<QuotaItem> items(String tenant) {
        return query(tenant, true).stream().map(QuotaItem::decode).toList();
    }

    /** A tenant's quotas only (an eventually consistent Query), for callers that cache them. */
    public List<QuotaLimit> limits(String tenant) {
        return query(tenant, false).stream().map(QuotaItem::decode).flatMap(item -> item.limits().stream()).toList();
    }

    private List<Map<String, AttributeValue>> query(String tenant, boolean consistent) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = dynamo.query(QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", "pk"))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(QuotaItems.partition(tenant))))
                    .consistentRead(consistent).exclusiveStartKey(start)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }

    /** The use of each period counter (consistent BatchGetItem of their items); absent counters are zero. */
    public Map<PeriodKey, PeriodUse> use(Collection<PeriodKey> keys) {
        Set<Map<String, AttributeValue>> itemKeys = new LinkedHashSet<>();
        keys.forEach(key -> itemKeys.add(QuotaItems.itemKey(key)));
        Map<Map<String, AttributeValue>, Map<String, AttributeValue>> items = reader.read(table, itemKeys)
                .itemsOr(cause -> new QuotaStoreException("quota counters could not be read", cause));
        Map<PeriodKey, PeriodUse> use = new LinkedHashMap<>();
        for (PeriodKey key : keys) {
            QuotaItem item = QuotaItem.decode(items.get(QuotaItems.itemKey(key)));
            use.put(key, item == null ? PeriodUse.NONE : item.use(key));
        }
        return use;
    }

    /**
     * Sets (creates or replaces) one quota and, when {@code rate} is given, the rate limit of its
     * resource and unit ({@code Optional.empty()} inside removes it); a changed rate limit keeps the
     * bucket's level (capped at the new burst). Adds one to the settings version, so that every
     * consume decided on the previous settings fails its condition and decides again.
     */
    public void putSettings(String tenant, QuotaLimit quota, Optional<Optional<RateLimit>> rate, Instant now) {
        for (int round = 0; round < MAX_SETTING_ROUNDS; round++) {
            QuotaItem current = item(tenant, quota.resource(), quota.unit()).orElse(null);
            Expression update = new Expression();
            List<String> set = new ArrayList<>();
            List<String> remove = new ArrayList<>();
            Map<String, AttributeValue> attributes = new LinkedHashMap<>(QuotaItems.limitAttributes(quota));
            attributes.put("tenant", AttributeValue.fromS(tenant));
            attributes.put("resource", AttributeValue.fromS(quota.resource().name()));
            attributes.put("unit", AttributeValue.fromS(quota.unit().wire()));
            attributes.put("updatedAt", AttributeValue.fromS(UtcTimes.format(now)));
            if (rate.isPresent()) {
                if (rate.get().isPresent()) {
                    RateLimit next = rate.get().get();
                    attributes.put(QuotaItems.PER_MINUTE, AttributeValue.fromN(Long.toString(next.perMinute())));
                    attributes.put(QuotaItems.BURST, AttributeValue.fromN(Long.toString(next.burst())));
                    BigInteger tat = current == null || current.rate() == null ? null
                            : new GcraBucket(current.rate()).rescheduled(current.tat(), now.toEpochMilli(), next);
                    if (tat == null) {
                        remove.add(update.name(QuotaItems.TAT));
                    } else {
                        attributes.put(QuotaItems.TAT, AttributeValue.fromN(tat.toString()));
                    }
                } else {
                    remove.add(update.name(QuotaItems.PER_MINUTE));
                    remove.add(update.name(QuotaItems.BURST));
                    remove.add(update.name(QuotaItems.TAT));
                }
            }
            attributes.forEach((name, value) -> set.add(update.name(name) + " = " + update.value(value)));
            String expression = "SET " + String.join(", ", set) + " ADD " + update.name(QuotaItems.VERSION) + " "
                    + update.value(AttributeValue.fromN("1"))
                    + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
            String condition = current == null ? "attribute_not_exists(" + update.name("pk") + ")"
                    : versionCondition(update, current.version());
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                        .key(QuotaItems.itemKey(tenant, quota.resource(), quota.unit()))
                        .updateExpression(expression).conditionExpression(condition)
                        .expressionAttributeNames(update.names()).expressionAttributeValues(update.values())
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
                return;
            } catch (ConditionalCheckFailedException changed) {
                // another setting won the race: read again
            }
        }
        throw new QuotaStoreException("quota settings kept changing while they were set", null);
    }

    /** One counter's share of a consume: add {@code amount}; for a hard quota only while {@code used <= maxBefore}. */
    public record CounterAdd(PeriodKey key, BigDecimal amount, BigDecimal maxBefore) {
    }

    /**
     * A consume of one resource and unit, decided on the item at {@code version}.
     *
     * @param take the bucket's take (granted) decided on the TAT seen; null without a rate limit
     */
    public record ConsumeWrite(String tenant, Resource resource, UsageUnit unit, long version, List<CounterAdd> adds,
                               GcraBucket bucket, GcraBucket.Take take, long nowMillis) {
        public ConsumeWrite {
            adds = List.copyOf(adds);
        }
    }

    /**
     * How a consume's UpdateItem ended: {@code written} with the item after it, or not with the
     * item as it was (null when it is absent), returned by the failed condition.
     */
    public record ConsumeResult(boolean written, QuotaItem item) {
    }

    /** Applies a consume as one conditional UpdateItem returning the new item, or the old one when it fails. */
    public ConsumeResult consume(ConsumeWrite write) {
        Update update = consumeUpdate(write);
        try {
            UpdateItemResponse response = dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                    .key(update.key()).updateExpression(update.updateExpression())
                    .conditionExpression(update.conditionExpression())
                    .expressionAttributeNames(update.expressionAttributeNames())
                    .expressionAttributeValues(update.expressionAttributeValues())
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            return new ConsumeResult(true, QuotaItem.decode(response.attributes()));
        } catch (ConditionalCheckFailedException failed) {
            return new ConsumeResult(false, failed.hasItem() ? QuotaItem.decode(failed.item()) : null);
        }
    }

    /** How a consume with an idempotency key ended. */
    public enum RecordedResult {
        /** The consume and its record are written. */
        WRITTEN,
        /** The item changed since it was read (or another transaction held it): read again and retry. */
        CHANGED,
        /** The idempotency key already holds a live record: nothing moved; replay it. */
        ALREADY_RECORDED
    }

    /**
     * Applies a consume and records its response under the idempotency key in one TransactWriteItems,
     * only if the key holds no record live at {@code now}: nothing moves unless everything does.
     *
     * @param write null when the resource and unit have no settings: only the record is written
     */
    public RecordedResult consumeRecorded(String tenant, ConsumeWrite write, IdempotentResponse record, Instant now) {
        List<TransactWriteItem> items = new ArrayList<>();
        if (write != null) {
            items.add(TransactWriteItem.builder().update(consumeUpdate(write)).build());
        }
        int recordIndex = items.size();
        items.add(TransactWriteItem.builder().put(recordPut(tenant, record, now)).build());
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            return RecordedResult.WRITTEN;
        } catch (TransactionCanceledException cancelled) {
            if (!cancelled.hasCancellationReasons()) {
                throw cancelled;
            }
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            if (recordIndex < reasons.size() && "ConditionalCheckFailed".equals(reasons.get(recordIndex).code())) {
                return RecordedResult.ALREADY_RECORDED;
            }
            for (CancellationReason reason : reasons) {
                if ("ConditionalCheckFailed".equals(reason.code()) || "TransactionConflict".equals(reason.code())) {
                    return RecordedResult.CHANGED;
                }
            }
            throw cancelled;
        } catch (TransactionConflictException conflict) {
            return RecordedResult.CHANGED;
        }
    }

    private Update consumeUpdate(ConsumeWrite write) {
        Expression e = new Expression();
        List<String> add = new ArrayList<>();
        List<String> set = new ArrayList<>();
        List<String> conditions = new ArrayList<>();
        conditions.add(versionCondition(e, write.version()));
        for (CounterAdd counter : write.adds()) {
            String used = e.name(QuotaItems.periodAttribute(QuotaItems.USED, counter.key()));
            add.add(used + " " + e.value(AttributeValue.fromN(counter.amount().toPlainString())));
            if (counter.maxBefore() != null) {
                String max = e.value(AttributeValue.fromN(counter.maxBefore().toPlainString()));
                // an absent counter is zero: within the limit unless the amount alone exceeds it
                conditions.add(counter.maxBefore().signum() >= 0
                        ? "(attribute_not_exists(" + used + ") OR " + used + " <= " + max + ")"
                        : used + " <= " + max);
            }
        }
        if (write.take() != null) {
            String tat = e.name(QuotaItems.TAT);
            String now = e.value(AttributeValue.fromN(write.bucket().ticks(write.nowMillis()).toString()));
            if (write.take().fromIdle()) {
                set.add(tat + " = " + e.value(AttributeValue.fromN(write.take().next().toString())));
                conditions.add("(attribute_not_exists(" + tat + ") OR " + tat + " <= " + now + ")");
            } else {
                set.add(tat + " = " + tat + " + " + e.value(AttributeValue.fromN(write.bucket().interval().toString())));
                conditions.add(tat + " > " + now + " AND " + tat + " <= "
                        + e.value(AttributeValue.fromN(write.bucket().latestStart(write.nowMillis()).toString())));
            }
        }
        String expression = (add.isEmpty() ? "" : "ADD " + String.join(", ", add))
                + (set.isEmpty() ? "" : (add.isEmpty() ? "" : " ") + "SET " + String.join(", ", set));
        return Update.builder().tableName(table).key(QuotaItems.itemKey(write.tenant(), write.resource(), write.unit()))
                .updateExpression(expression).conditionExpression(String.join(" AND ", conditions))
                .expressionAttributeNames(e.names()).expressionAttributeValues(e.values()).build();
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

    /**
     * Adds ingested use to the counters of one resource and unit (all on its item, so one update):
     * {@code used} and its ingested share {@code ingested} (which a {@link #seed} reconciles with the
     * usage aggregates) move together.
     */
    public Update ingestedAdd(List<PeriodKey> keys, BigDecimal amount) {
        Expression e = new Expression();
        String value = e.value(AttributeValue.fromN(amount.toPlainString()));
        List<String> add = new ArrayList<>();
        for (PeriodKey key : keys) {
            add.add(e.name(QuotaItems.periodAttribute(QuotaItems.USED, key)) + " " + value);
            add.add(e.name(QuotaItems.periodAttribute(QuotaItems.INGESTED, key)) + " " + value);
        }
        return Update.builder().tableName(table).key(QuotaItems.itemKey(keys.get(0)))
                .updateExpression("ADD " + String.join(", ", add))
                .expressionAttributeNames(e.names()).expressionAttributeValues(e.values()).build();
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
     * Counts one refusal on each refusing counter (all on one item: one UpdateItem, {@code ADD
     * refused 1, SET exceededMinute}, returning the old values) and marks the minute of {@code now}.
     * Writes to one item are serialised, so exactly one refusal per counter and minute sees another
     * minute (or none) there and announces. Only an existing item is counted on.
     */
    public Map<PeriodKey, Refusal> refused(List<PeriodKey> keys, Instant now) {
        Expression e = new Expression();
        String one = e.value(AttributeValue.fromN("1"));
        String minute = UtcTimes.format(now.truncatedTo(ChronoUnit.MINUTES));
        String minuteValue = e.value(AttributeValue.fromS(minute));
        List<String> add = new ArrayList<>();
        List<String> set = new ArrayList<>();
        for (PeriodKey key : keys) {
            add.add(e.name(QuotaItems.periodAttribute(QuotaItems.REFUSED, key)) + " " + one);
            set.add(e.name(QuotaItems.periodAttribute(QuotaItems.EXCEEDED_MINUTE, key)) + " = " + minuteValue);
        }
        Map<String, AttributeValue> old;
        try {
            old = dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(QuotaItems.itemKey(keys.get(0)))
                    .updateExpression("ADD " + String.join(", ", add) + " SET " + String.join(", ", set))
                    .conditionExpression("attribute_exists(" + e.name("pk") + ")")
                    .expressionAttributeNames(e.names()).expressionAttributeValues(e.values())
                    .returnValues(ReturnValue.ALL_OLD)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).attributes();
        } catch (ConditionalCheckFailedException gone) {
            return Map.of();
        }
        Map<PeriodKey, Refusal> refusals = new LinkedHashMap<>();
        for (PeriodKey key : keys) {
            AttributeValue before = old.get(QuotaItems.periodAttribute(QuotaItems.REFUSED, key));
            AttributeValue announced = old.get(QuotaItems.periodAttribute(QuotaItems.EXCEEDED_MINUTE, key));
            refusals.put(key, new Refusal((before == null ? 0 : Long.parseLong(before.n())) + 1,
                    announced == null || !announced.s().equals(minute)));
        }
        return refusals;
    }

    /** Removes counter attributes nobody decides on any more (see {@link QuotaItem#staleAttributes}). */
    public void prune(QuotaItem item, List<String> attributes) {
        Expression e = new Expression();
        List<String> names = attributes.stream().map(e::name).toList();
        dynamo.updateItem(UpdateItemRequest.builder().tableName(table)
                .key(QuotaItems.itemKey(item.tenant(), item.resource(), item.unit()))
                .updateExpression("REMOVE " + String.join(", ", names))
                .conditionExpression("attribute_exists(" + e.name("pk") + ")")
                .expressionAttributeNames(e.names())
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
    }

    /** The ingested share of a period counter, as read consistently; zero when absent. */
    public BigDecimal ingested(PeriodKey key) {
        String name = QuotaItems.periodAttribute(QuotaItems.INGESTED, key);
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(QuotaItems.itemKey(key)).consistentRead(true).projectionExpression("#i")
                .expressionAttributeNames(Map.of("#i", name))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).item();
        AttributeValue ingested = item == null ? null : item.get(name);
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
        Expression e = new Expression();
        String ingested = e.name(QuotaItems.periodAttribute(QuotaItems.INGESTED, key));
        String read = e.value(AttributeValue.fromN(ingestedRead.toPlainString()));
        String settle = e.name(QuotaItems.periodAttribute(QuotaItems.SETTLE_AT, key));
        String expression = "ADD " + e.name(QuotaItems.periodAttribute(QuotaItems.USED, key)) + " "
                + e.value(AttributeValue.fromN(aggregated.subtract(ingestedRead).toPlainString()))
                + " SET " + ingested + " = " + e.value(AttributeValue.fromN(aggregated.toPlainString())) + ", "
                + e.name(QuotaItems.periodAttribute(QuotaItems.SEEDED_AT, key)) + " = "
                + e.value(AttributeValue.fromS(UtcTimes.format(now)))
                + (settleAt == null ? " REMOVE " + settle
                        : ", " + settle + " = " + e.value(AttributeValue.fromS(UtcTimes.format(settleAt))));
        String condition = (ingestedRead.signum() == 0 ? "attribute_not_exists(" + ingested + ") OR " : "")
                + ingested + " = " + read;
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(QuotaItems.itemKey(key))
                    .updateExpression(expression).conditionExpression(condition)
                    .expressionAttributeNames(e.names()).expressionAttributeValues(e.values())
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            return true;
        } catch (ConditionalCheckFailedException moved) {
            return false;
        }
    }

    /**
     * Marks a threshold of a period as announced, only if it is not yet and the use has reached it
     * (a threshold at zero is reached by an absent counter). Exactly one caller wins per threshold and period.
     *
     * @return the mark written, or null when another caller holds it (or the use is below)
     */
    public String claim(PeriodKey key, Threshold threshold, BigDecimal amountAt, Instant now) {
        String mark = UtcTimes.format(now) + "#" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Expression e = new Expression();
        String flag = e.name(QuotaItems.periodAttribute(QuotaItems.announcedKind(threshold), key));
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(QuotaItems.itemKey(key))
                    .updateExpression("SET " + flag + " = " + e.value(AttributeValue.fromS(mark)))
                    .conditionExpression("attribute_not_exists(" + flag + ")" + (amountAt.signum() <= 0 ? ""
                            : " AND " + e.name(QuotaItems.periodAttribute(QuotaItems.USED, key)) + " >= "
                            + e.value(AttributeValue.fromN(amountAt.toPlainString()))))
                    .expressionAttributeNames(e.names()).expressionAttributeValues(e.values())
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            return mark;
        } catch (ConditionalCheckFailedException taken) {
            return null;
        }
    }

    /** Gives a claimed mark back (its announcement could not be published), so a later caller retries. */
    public void release(PeriodKey key, Threshold threshold, String mark) {
        Expression e = new Expression();
        String flag = e.name(QuotaItems.periodAttribute(QuotaItems.announcedKind(threshold), key));
        try {
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(QuotaItems.itemKey(key))
                    .updateExpression("REMOVE " + flag)
                    .conditionExpression(flag + " = " + e.value(AttributeValue.fromS(mark)))
                    .expressionAttributeNames(e.names()).expressionAttributeValues(e.values())
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        } catch (ConditionalCheckFailedException notOurs) {
            // someone else's mark: leave it
        }
    }

    /** The item still has the settings of {@code version} (0: an item no settings were ever written to). */
    private static String versionCondition(Expression e, long version) {
        String name = e.name(QuotaItems.VERSION);
        return version == 0 ? "attribute_not_exists(" + name + ")" : name + " = " + e.value(number(version));
    }

    private static AttributeValue number(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    /** Placeholders of one expression: each attribute name and value gets its own, in order. */
    private static final class Expression {
        private final Map<String, String> names = new LinkedHashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();

        String name(String attribute) {
            for (Map.Entry<String, String> entry : names.entrySet()) {
                if (entry.getValue().equals(attribute)) {
                    return entry.getKey();
                }
            }
            String placeholder = "#n" + names.size();
            names.put(placeholder, attribute);
            return placeholder;
        }

        String value(AttributeValue value) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, Objects.requireNonNull(value));
            return placeholder;
        }

        Map<String, String> names() {
            return names;
        }

        Map<String, AttributeValue> values() {
            return values;
        }
    }
}
