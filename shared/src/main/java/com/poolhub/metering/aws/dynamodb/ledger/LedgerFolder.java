package com.poolhub.metering.aws.dynamodb.ledger;

import com.poolhub.metering.aws.dynamodb.BatchReader;
import com.poolhub.metering.aws.dynamodb.ItemCodec;
import com.poolhub.metering.ingest.Aggregation;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Folds a scope's committed ledger pages into the aggregate items readers use. Each aggregate item
 * records the last page of its scope folded into it ({@code lp}) and is written on the condition of
 * its version, so a page is folded into each key exactly once however many folders run, crash or
 * repeat; the head's {@code folded} only moves on once every key is written, and its mark is removed
 * only when no page came after. {@link #foldMarked()} sweeps every scope with unfolded pages.
 */
public final class LedgerFolder<K, S> {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Aggregation<?, K, S> aggregation;
    private final LedgerCodec<K, S> ledger;
    private final ItemCodec<K, S> items;
    private final ExecutorService writers;
    private final Clock clock;
    private final BatchReader reader;
    private final PageReader pages;

    public LedgerFolder(DynamoDbClient dynamo, String table, Aggregation<?, K, S> aggregation, LedgerCodec<K, S> ledger,
                        ItemCodec<K, S> items, ExecutorService writers, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.aggregation = aggregation;
        this.ledger = ledger;
        this.items = items;
        this.writers = writers;
        this.clock = clock;
        this.reader = new BatchReader(dynamo);
        this.pages = new PageReader(dynamo, table);
    }

    /**
     * What folding did.
     *
     * @param scopes  scopes looked at
     * @param pages   pages folded
     * @param written aggregate items written
     * @param failed  aggregate items that could not be written (their pages stay unfolded)
     * @param skipped scopes left alone because another folder had just folded them
     */
    public record FoldReport(int scopes, int pages, int written, int failed, int skipped) {
        public static final FoldReport NONE = new FoldReport(0, 0, 0, 0, 0);

        public FoldReport plus(FoldReport other) {
            return new FoldReport(scopes + other.scopes, pages + other.pages, written + other.written,
                    failed + other.failed, skipped + other.skipped);
        }
    }

    /** Folds every scope whose head is marked as holding unfolded pages. */
    public FoldReport foldMarked() {
        FoldReport report = FoldReport.NONE;
        for (int shard = 0; shard < LedgerLayout.MARK_SHARDS; shard++) {
            for (String scope : markedScopes(shard)) {
                report = report.plus(fold(scope, Duration.ZERO));
            }
        }
        return report;
    }

    private Set<String> markedScopes(int shard) {
        Set<String> scopes = new LinkedHashSet<>();
        dynamo.queryPaginator(QueryRequest.builder().tableName(table).indexName(LedgerLayout.INDEX)
                        .keyConditionExpression("#dp = :dp")
                        .expressionAttributeNames(Map.of("#dp", LedgerLayout.MARK_PARTITION))
                        .expressionAttributeValues(Map.of(":dp", AttributeValue.fromS(LedgerLayout.markPartition(shard))))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build())
                .items()
                .forEach(item -> scopes.add(LedgerLayout.scopeOf(item.get("pk").s())));
        return scopes;
    }

    /**
     * Folds one scope's unfolded pages, unless another folder folded it within {@code freshness}
     * (zero: always).
     */
    public FoldReport fold(String scope, Duration freshness) {
        Map<String, AttributeValue> head = dynamo.getItem(GetItemRequest.builder().tableName(table)
                .key(LedgerLayout.headKey(scope)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).item();
        if (head == null || head.isEmpty()) {
            return FoldReport.NONE;
        }
        int pages = LedgerLayout.number(head, LedgerLayout.PAGES);
        int folded = LedgerLayout.number(head, LedgerLayout.FOLDED);
        long foldedAt = LedgerLayout.longNumber(head, LedgerLayout.FOLDED_AT);
        if (!freshness.isZero() && clock.millis() - foldedAt < freshness.toMillis()) {
            return new FoldReport(1, 0, 0, 0, 1);
        }
        if (pages <= folded) {
            if (head.containsKey(LedgerLayout.MARK_PARTITION)) {
                advance(scope, pages);
            }
            return new FoldReport(1, 0, 0, 0, 0);
        }
        Map<K, SortedMap<Integer, S>> deltas = deltas(scope, folded, pages);
        Map<Map<String, AttributeValue>, K> byItemKey = new HashMap<>();
        deltas.keySet().forEach(key -> byItemKey.put(items.key(key), key));
        BatchReader.Result read = reader.read(table, byItemKey.keySet());
        AtomicInteger written = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger(read.unprocessed().size());
        Map<K, Map<String, AttributeValue>> current = new HashMap<>();
        read.items().forEach((itemKey, item) -> current.put(byItemKey.get(itemKey), item));
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (Map.Entry<K, SortedMap<Integer, S>> entry : deltas.entrySet()) {
            if (read.unprocessed().containsKey(items.key(entry.getKey()))) {
                continue;
            }
            writes.add(CompletableFuture.runAsync(() -> {
                try {
                    if (foldKey(entry.getKey(), entry.getValue(), current.get(entry.getKey()), pages)) {
                        written.incrementAndGet();
                    }
                } catch (SdkException e) {
                    failed.incrementAndGet();
                }
            }, writers));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        if (failed.get() > 0) {
            return new FoldReport(1, 0, written.get(), failed.get(), 0);
        }
        advance(scope, pages);
        return new FoldReport(1, pages - folded, written.get(), 0, 0);
    }

    /** Each key's partial states in pages {@code after + 1} to {@code upTo}, by page number. */
    private Map<K, SortedMap<Integer, S>> deltas(String scope, int after, int upTo) {
        Map<K, SortedMap<Integer, S>> deltas = new LinkedHashMap<>();
        for (PageReader.Page page : pages.read(scope, after, upTo)) {
            page.content().get(LedgerLayout.DELTAS).m().forEach((member, value) -> {
                K key = ledger.key(scope, member);
                deltas.computeIfAbsent(key, k -> new TreeMap<>()).put(page.number(), ledger.decodeDelta(key, value));
            });
        }
        return deltas;
    }

    /** Folds the key's pages after its last folded one; false when it already held them all. */
    private boolean foldKey(K key, SortedMap<Integer, S> pagesOfKey, Map<String, AttributeValue> item, int upTo) {
        Map<String, AttributeValue> itemKey = items.key(key);
        while (true) {
            int last = LedgerLayout.number(item, LedgerLayout.LAST_PAGE);
            SortedMap<Integer, S> unfolded = pagesOfKey.tailMap(last + 1);
            if (unfolded.isEmpty() || last >= upTo) {
                return false;
            }
            S state = item == null ? aggregation.empty(key) : items.decode(key, item);
            for (S delta : unfolded.values()) {
                state = aggregation.merge(state, delta);
            }
            try {
                dynamo.updateItem(update(itemKey, items.encode(key, state), upTo, version(item)));
                return true;
            } catch (ConditionalCheckFailedException lostRace) {
                item = lostRace.hasItem() && !lostRace.item().isEmpty() ? lostRace.item() : reread(itemKey);
            }
        }
    }

    /** Moves the head's folded count on; removes its mark when no page came after. */
    private void advance(String scope, int pages) {
        Map<String, String> names = new HashMap<>(Map.of("#folded", LedgerLayout.FOLDED, "#at", LedgerLayout.FOLDED_AT,
                "#pages", LedgerLayout.PAGES));
        Map<String, AttributeValue> values = Map.of(":p", AttributeValue.fromN(Integer.toString(pages)),
                ":now", AttributeValue.fromN(Long.toString(clock.millis())));
        try {
            names.put("#dp", LedgerLayout.MARK_PARTITION);
            names.put("#ds", LedgerLayout.MARK_SORT);
            dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(LedgerLayout.headKey(scope))
                    .updateExpression("SET #folded = :p, #at = :now REMOVE #dp, #ds")
                    .conditionExpression("#pages = :p")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        } catch (ConditionalCheckFailedException morePages) {
            names.remove("#dp");
            names.remove("#ds");
            try {
                dynamo.updateItem(UpdateItemRequest.builder().tableName(table).key(LedgerLayout.headKey(scope))
                        .updateExpression("SET #folded = :p, #at = :now")
                        .conditionExpression("attribute_exists(#pages) AND (attribute_not_exists(#folded) OR #folded < :p)")
                        .expressionAttributeNames(names).expressionAttributeValues(values)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
            } catch (ConditionalCheckFailedException foldedFurther) {
                // another folder already moved the head past these pages
            }
        }
    }

    private Map<String, AttributeValue> reread(Map<String, AttributeValue> itemKey) {
        Map<String, AttributeValue> item = dynamo.getItem(GetItemRequest.builder().tableName(table).key(itemKey)
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build()).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private UpdateItemRequest update(Map<String, AttributeValue> itemKey, Map<String, AttributeValue> attributes,
                                     int lastPage, Long expectedVersion) {
        Map<String, String> names = new LinkedHashMap<>();
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        StringBuilder set = new StringBuilder("SET #lp = :lp, #ver = :ver");
        names.put("#lp", LedgerLayout.LAST_PAGE);
        names.put("#ver", LedgerLayout.VERSION);
        values.put(":lp", AttributeValue.fromN(Integer.toString(lastPage)));
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
        return UpdateItemRequest.builder().tableName(table).key(itemKey)
                .updateExpression(set.toString())
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .build();
    }

    private static Long version(Map<String, AttributeValue> item) {
        if (item == null || item.get(LedgerLayout.VERSION) == null) {
            return null;
        }
        return Long.parseLong(item.get(LedgerLayout.VERSION).n());
    }
}
