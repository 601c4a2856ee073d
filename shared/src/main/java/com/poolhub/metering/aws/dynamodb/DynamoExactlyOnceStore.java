package com.poolhub.metering.aws.dynamodb;

import com.poolhub.metering.ingest.Aggregation;
import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link ExactlyOnceStore} on DynamoDB. Each aggregate item carries, beside its totals, the sorted
 * fingerprints of the events it counted ({@code fp}) and a version ({@code ver}). A batch costs one
 * consistent BatchGetItem per 100 keys and one conditional UpdateItem per key: the update writes the
 * new totals and the new fingerprints together, on the condition that the version is the one read.
 * So each key changes atomically, never counts an event twice, and a lost race is re-read and retried.
 * Cost grows with keys per batch, not with events. Optional {@link CompanionWrites} move other
 * counters in the same transaction.
 */
public final class DynamoExactlyOnceStore<E, K, S> implements ExactlyOnceStore<E, K> {
    /** Fingerprints one item may hold (8 bytes each), leaving room under DynamoDB's 400 KB item limit. */
    public static final int MAX_FINGERPRINTS_PER_ITEM = 38_000;
    private static final Logger LOG = LoggerFactory.getLogger(DynamoExactlyOnceStore.class);
    private static final int MAX_CONFLICT_RETRIES = 8;

    private final DynamoDbClient dynamo;
    private final String table;
    private final Aggregation<E, K, S> aggregation;
    private final ItemCodec<K, S> codec;
    private final BatchReader reader;
    private final ExecutorService writers;
    private final int maxFingerprints;
    private final CompanionWrites<K, E> companions;

    public DynamoExactlyOnceStore(DynamoDbClient dynamo, String table, Aggregation<E, K, S> aggregation,
                                  ItemCodec<K, S> codec, ExecutorService writers) {
        this(dynamo, table, aggregation, codec, writers, CompanionWrites.none(), MAX_FINGERPRINTS_PER_ITEM);
    }

    public DynamoExactlyOnceStore(DynamoDbClient dynamo, String table, Aggregation<E, K, S> aggregation,
                                  ItemCodec<K, S> codec, ExecutorService writers, CompanionWrites<K, E> companions) {
        this(dynamo, table, aggregation, codec, writers, companions, MAX_FINGERPRINTS_PER_ITEM);
    }

    DynamoExactlyOnceStore(DynamoDbClient dynamo, String table, Aggregation<E, K, S> aggregation,
                           ItemCodec<K, S> codec, ExecutorService writers, CompanionWrites<K, E> companions,
                           int maxFingerprints) {
        this.companions = companions;
        this.dynamo = dynamo;
        this.table = table;
        this.aggregation = aggregation;
        this.codec = codec;
        this.reader = new BatchReader(dynamo);
        this.writers = writers;
        this.maxFingerprints = maxFingerprints;
    }

    @Override
    public ApplyOutcome<K, E> apply(Map<K, List<E>> eventsByKey) {
        List<K> keys = new ArrayList<>(eventsByKey.keySet());
        Map<K, Map<String, AttributeValue>> current = new HashMap<>();
        Map<K, Exception> failed = new ConcurrentHashMap<>();
        Map<Map<String, AttributeValue>, K> byItemKey = new HashMap<>();
        for (K key : keys) {
            byItemKey.put(codec.key(key), key);
        }
        BatchReader.Result read = reader.read(table, byItemKey.keySet());
        read.items().forEach((itemKey, item) -> current.put(byItemKey.get(itemKey), item));
        read.unprocessed().forEach((itemKey, cause) -> failed.put(byItemKey.get(itemKey), cause));

        AtomicLong applied = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        List<E> overflow = java.util.Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<SdkException> tableTrouble = new java.util.concurrent.atomic.AtomicReference<>();
        for (K key : keys) {
            if (failed.containsKey(key)) {
                continue;
            }
            writes.add(CompletableFuture.runAsync(() -> {
                SdkException trouble = tableTrouble.get();
                if (trouble != null) {
                    // the table is refusing writes even after the SDK's retries: leave the rest of
                    // the batch to Lambda's retry rather than pressing on
                    failed.put(key, trouble);
                    return;
                }
                try {
                    KeyOutcome<E> outcome = write(key, eventsByKey.get(key), current.get(key));
                    applied.addAndGet(outcome.applied);
                    duplicates.addAndGet(outcome.duplicates);
                    overflow.addAll(outcome.overflow);
                } catch (SdkException e) {
                    LOG.debug("aggregate write failed: table={} error={}: {}", table, e.getClass().getSimpleName(),
                            e.getMessage());
                    failed.put(key, e);
                    tableTrouble.compareAndSet(null, e);
                }
            }, writers));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        return new ApplyOutcome<>(applied.get(), duplicates.get(), Map.copyOf(failed), List.copyOf(overflow));
    }

    private record KeyOutcome<E>(long applied, long duplicates, List<E> overflow) {
    }

    private KeyOutcome<E> write(K key, List<E> events, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> itemKey = codec.key(key);
        for (int attempt = 0; ; attempt++) {
            Fingerprints counted = item == null ? Fingerprints.empty() : Fingerprints.of(fp(item));
            Set<Long> seen = new HashSet<>();
            List<E> fresh = new ArrayList<>();
            List<E> overflow = new ArrayList<>();
            for (E event : events) {
                long fingerprint = aggregation.fingerprintOf(event);
                if (counted.contains(fingerprint) || !seen.add(fingerprint)) {
                    continue;
                }
                if (counted.size() + fresh.size() >= maxFingerprints) {
                    overflow.add(event);
                } else {
                    fresh.add(event);
                }
            }
            long duplicates = events.size() - fresh.size() - overflow.size();
            if (fresh.isEmpty()) {
                return new KeyOutcome<>(0, duplicates, overflow);
            }
            S state = item == null ? aggregation.empty(key) : codec.decode(key, item);
            long[] added = new long[fresh.size()];
            for (int i = 0; i < fresh.size(); i++) {
                state = aggregation.add(state, fresh.get(i));
                added[i] = aggregation.fingerprintOf(fresh.get(i));
            }
            UpdateItemRequest update = update(itemKey, codec.encode(key, state), counted.plus(added), version(item));
            List<Update> extra = companions.updatesFor(key, fresh);
            try {
                if (extra.isEmpty()) {
                    dynamo.updateItem(update);
                } else {
                    transact(update, extra);
                }
                return new KeyOutcome<>(fresh.size(), duplicates, overflow);
            } catch (ConditionalCheckFailedException lostRace) {
                if (attempt >= MAX_CONFLICT_RETRIES) {
                    throw lostRace;
                }
                item = lostRace.hasItem() && !lostRace.item().isEmpty() ? lostRace.item() : reread(itemKey);
            } catch (TransactionCanceledException cancelled) {
                if (attempt >= MAX_CONFLICT_RETRIES || !(conditionFailed(cancelled) || conflicted(cancelled))) {
                    throw cancelled;
                }
                item = reread(itemKey);
            }
        }
    }

    private void transact(UpdateItemRequest aggregate, List<Update> extra) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().update(Update.builder()
                .tableName(aggregate.tableName())
                .key(aggregate.key())
                .updateExpression(aggregate.updateExpression())
                .conditionExpression(aggregate.conditionExpression())
                .expressionAttributeNames(aggregate.expressionAttributeNames())
                .expressionAttributeValues(aggregate.expressionAttributeValues())
                .build()).build());
        extra.forEach(update -> items.add(TransactWriteItem.builder().update(update).build()));
        dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(items)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
    }

    /** Whether the aggregate's own version condition is what cancelled the transaction. */
    private static boolean conditionFailed(TransactionCanceledException cancelled) {
        return cancelled.hasCancellationReasons() && !cancelled.cancellationReasons().isEmpty()
                && "ConditionalCheckFailed".equals(cancelled.cancellationReasons().get(0).code());
    }

    /**
     * Whether another transaction on one of the items (a quota consume on a companion counter, say)
     * cancelled this one: nothing was written, so it is safe to read again and retry.
     */
    private static boolean conflicted(TransactionCanceledException cancelled) {
        return cancelled.hasCancellationReasons()
                && cancelled.cancellationReasons().stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    private Map<String, AttributeValue> reread(Map<String, AttributeValue> itemKey) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(itemKey)
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private UpdateItemRequest update(Map<String, AttributeValue> itemKey, Map<String, AttributeValue> attributes,
                                     Fingerprints fingerprints, Long expectedVersion) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        StringBuilder set = new StringBuilder("SET #fp = :fp, #ver = :ver");
        names.put("#fp", "fp");
        names.put("#ver", "ver");
        values.put(":fp", AttributeValue.fromB(fingerprints.toBytes()));
        values.put(":ver", AttributeValue.fromN(Long.toString(expectedVersion == null ? 1 : expectedVersion + 1)));
        int i = 0;
        for (Map.Entry<String, AttributeValue> attribute : attributes.entrySet()) {
            names.put("#a" + i, attribute.getKey());
            values.put(":a" + i, attribute.getValue());
            set.append(", #a").append(i).append(" = :a").append(i);
            i++;
        }
        String condition;
        if (expectedVersion == null) {
            condition = "attribute_not_exists(#ver)";
        } else {
            condition = "#ver = :expected";
            values.put(":expected", AttributeValue.fromN(Long.toString(expectedVersion)));
        }
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(itemKey)
                .updateExpression(set.toString())
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
    }

    private static software.amazon.awssdk.core.SdkBytes fp(Map<String, AttributeValue> item) {
        AttributeValue value = item.get("fp");
        return value == null ? null : value.b();
    }

    private static Long version(Map<String, AttributeValue> item) {
        if (item == null || item.get("ver") == null) {
            return null;
        }
        return Long.parseLong(item.get("ver").n());
    }
}
