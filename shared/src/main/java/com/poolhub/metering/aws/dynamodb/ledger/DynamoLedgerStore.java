package com.poolhub.metering.aws.dynamodb.ledger;

import com.poolhub.metering.aws.RetryPolicy;
import com.poolhub.metering.aws.dynamodb.CompanionWrites;
import com.poolhub.metering.ingest.Aggregation;
import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * {@link ExactlyOnceStore} on a DynamoDB ledger ({@link LedgerLayout}). A batch's events are grouped
 * by scope (their window); for each scope the store reads the pages it has not seen yet (a container
 * caches what it read: pages never change), drops events whose fingerprints a page already holds,
 * and commits the rest as the next page in one transaction with the scope's head, on the condition
 * that the head still counts the pages it read. The page's content (the new fingerprints and each
 * key's partial state) is written just before, outside the transaction, so it is billed once; a
 * batch costs about one content write a window, whatever the number of tenants and
 * however much the window already holds; no item grows with the window's history. A lost race
 * re-reads the new pages and retries. {@link CompanionWrites} join the same transaction, so they
 * move exactly when a page commits. A {@link LedgerFolder} then folds committed pages into the
 * aggregate items readers use.
 */
public final class DynamoLedgerStore<E, K, S> implements ExactlyOnceStore<E, K> {
    /** Largest page, in estimated bytes, below DynamoDB's 400 KB item limit. */
    static final int MAX_PAGE_BYTES = 340_000;
    /** Events of one key in one page at most, whatever the size of their partial state. */
    static final int MAX_EVENTS_PER_KEY_AND_PAGE = 25_000;
    /** A transaction holds at most 100 actions: the page, the head and the companions. */
    static final int MAX_COMPANIONS_PER_PAGE = 98;
    private static final int MAX_CONFLICT_RETRIES = 60;
    private static final Logger LOG = LoggerFactory.getLogger(DynamoLedgerStore.class);

    private final DynamoDbClient dynamo;
    private final String table;
    private final Aggregation<E, K, S> aggregation;
    private final LedgerCodec<K, S> codec;
    private final ExecutorService writers;
    private final CompanionWrites<K, E> companions;
    private final ScopeCache cache;
    private final PageReader pages;
    private final FoldSchedule folds;

    /**
     * @param folds when the store folds the scopes it committed to (after every batch, or at most once
     *              an interval per scope, leaving the rest to the scheduled sweep)
     */
    public DynamoLedgerStore(DynamoDbClient dynamo, String table, Aggregation<E, K, S> aggregation,
                             LedgerCodec<K, S> codec, ExecutorService writers, CompanionWrites<K, E> companions,
                             FoldSchedule folds, long maxCachedFingerprints) {
        this.dynamo = dynamo;
        this.table = table;
        this.aggregation = aggregation;
        this.codec = codec;
        this.writers = writers;
        this.companions = companions;
        this.folds = folds;
        this.cache = new ScopeCache(maxCachedFingerprints);
        this.pages = new PageReader(dynamo, table);
    }

    @Override
    public ApplyOutcome<K, E> apply(Map<K, List<E>> eventsByKey) {
        Map<String, Map<K, List<E>>> byScope = new LinkedHashMap<>();
        eventsByKey.forEach((key, events) ->
                byScope.computeIfAbsent(codec.scope(key), s -> new LinkedHashMap<>()).put(key, events));
        AtomicLong applied = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        Map<K, Exception> failed = new ConcurrentHashMap<>();
        Set<String> committed = ConcurrentHashMap.newKeySet();
        AtomicReference<SdkException> tableTrouble = new AtomicReference<>();
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        byScope.forEach((scope, keys) -> writes.add(CompletableFuture.runAsync(() -> {
            SdkException trouble = tableTrouble.get();
            if (trouble != null) {
                // the table refuses writes even after the SDK's retries: leave the rest to Lambda's retry
                keys.keySet().forEach(key -> failed.put(key, trouble));
                return;
            }
            ScopeOutcome<K> outcome = commitScope(scope, keys);
            applied.addAndGet(outcome.applied);
            duplicates.addAndGet(outcome.duplicates);
            failed.putAll(outcome.failed);
            if (outcome.applied > 0 || outcome.sawNewPages) {
                committed.add(scope);
            }
            if (outcome.trouble != null) {
                tableTrouble.compareAndSet(null, outcome.trouble);
            }
        }, writers)));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        cache.settle();
        folds.committed(committed);
        return new ApplyOutcome<>(applied.get(), duplicates.get(), Map.copyOf(failed));
    }

    /**
     * @param sawNewPages whether pages this container did not know were found (written by another
     *                    writer, or its own commit whose answer was lost): they may still need folding
     */
    private record ScopeOutcome<K>(long applied, long duplicates, Map<K, Exception> failed, SdkException trouble,
                                   boolean sawNewPages) {
    }

    private ScopeOutcome<K> commitScope(String scope, Map<K, List<E>> keys) {
        FingerprintSet inBatch = new FingerprintSet();
        Map<K, List<E>> unique = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<K, List<E>> entry : keys.entrySet()) {
            List<E> kept = new ArrayList<>();
            for (E event : entry.getValue()) {
                total++;
                if (inBatch.add(aggregation.fingerprintOf(event))) {
                    kept.add(event);
                }
            }
            unique.put(entry.getKey(), kept);
        }
        ScopeCache.View view = cache.view(scope);
        long applied = 0;
        boolean sawNewPages = false;
        synchronized (view) {
            try {
                int races = 0;
                Content written = null;
                Map<K, List<E>> pending = null;
                while (true) {
                    if (pending == null) {
                        // only after a lost race can pages this writer does not know exist
                        sawNewPages |= catchUp(scope, view);
                        pending = uncounted(unique, view);
                    }
                    if (pending.isEmpty()) {
                        return new ScopeOutcome<>(applied, total - applied, Map.of(), null, sawNewPages);
                    }
                    Page<K, E> page = nextPage(pending);
                    if (written == null || !Arrays.equals(written.fingerprints(), page.packedFingerprints())) {
                        written = writeContent(scope, page);
                    }
                    try {
                        commit(scope, view.pages() + 1, page, written.id());
                    } catch (LostRace race) {
                        if (++races > MAX_CONFLICT_RETRIES) {
                            throw race.cause;
                        }
                        RetryPolicy.WRITE_RACES.sleep(Math.min(races, 4));
                        pending = null;
                        continue;
                    }
                    view.addPage(view.pages() + 1, ByteBuffer.wrap(page.packedFingerprints()));
                    applied += page.eventCount();
                    withoutCommitted(pending, page);
                    races = 0;
                    written = null;
                }
            } catch (SdkException e) {
                LOG.debug("ledger commit failed: table={} scope={} error={}: {}", table, scope,
                        e.getClass().getSimpleName(), e.getMessage());
                Map<K, Exception> failed = new HashMap<>();
                for (Map.Entry<K, List<E>> entry : uncounted(unique, view).entrySet()) {
                    failed.put(entry.getKey(), e);
                }
                return new ScopeOutcome<>(applied, 0, failed, e, sawNewPages);
            }
        }
    }

    /** Drops a committed page's events (a prefix of each of its keys' pending events). */
    private static <K, E> void withoutCommitted(Map<K, List<E>> pending, Page<K, E> page) {
        page.events().forEach((key, slice) -> {
            List<E> rest = pending.get(key);
            if (slice.size() >= rest.size()) {
                pending.remove(key);
            } else {
                pending.put(key, new ArrayList<>(rest.subList(slice.size(), rest.size())));
            }
        });
    }

    /** Reads the pages of a scope committed after the last one the view knows; true when there were some. */
    private boolean catchUp(String scope, ScopeCache.View view) {
        int known = view.pages();
        for (PageReader.Page page : pages.read(scope, known, Integer.MAX_VALUE)) {
            AttributeValue fingerprints = page.content().get(LedgerLayout.FINGERPRINTS);
            view.addPage(page.number(), fingerprints == null ? ByteBuffer.allocate(0) : fingerprints.b().asByteBuffer());
        }
        return view.pages() > known;
    }

    private Map<K, List<E>> uncounted(Map<K, List<E>> events, ScopeCache.View view) {
        Map<K, List<E>> pending = new LinkedHashMap<>();
        events.forEach((key, list) -> {
            List<E> fresh = new ArrayList<>();
            for (E event : list) {
                if (!view.counted(aggregation.fingerprintOf(event))) {
                    fresh.add(event);
                }
            }
            if (!fresh.isEmpty()) {
                pending.put(key, fresh);
            }
        });
        return pending;
    }

    /** What one page holds: each key's new events, their partial states and the companion updates. */
    private record Page<K, E>(Map<K, List<E>> events, Map<K, AttributeValue> deltas, List<Update> companions,
                              byte[] packedFingerprints) {
        long eventCount() {
            return events.values().stream().mapToLong(List::size).sum();
        }
    }

    /**
     * The next page from the pending events: keys in order while the page stays under the size and
     * companion bounds; a key too big for one page is split over several.
     */
    private Page<K, E> nextPage(Map<K, List<E>> pending) {
        Map<K, List<E>> events = new LinkedHashMap<>();
        Map<K, AttributeValue> deltas = new LinkedHashMap<>();
        List<Update> extra = new ArrayList<>();
        Set<Map<String, AttributeValue>> counters = new HashSet<>();
        int bytes = 64;
        for (Map.Entry<K, List<E>> entry : pending.entrySet()) {
            K key = entry.getKey();
            List<E> slice = entry.getValue().subList(0, Math.min(entry.getValue().size(), MAX_EVENTS_PER_KEY_AND_PAGE));
            S delta = aggregation.empty(key);
            for (E event : slice) {
                delta = aggregation.add(delta, event);
            }
            AttributeValue encoded = codec.encodeDelta(key, delta);
            int size = AttributeSizes.of(encoded) + codec.member(key).length() + 1 + Long.BYTES * slice.size();
            List<Update> updates = companions.updatesFor(key, slice);
            boolean clash = updates.stream().anyMatch(u -> counters.contains(counterKey(u)));
            if (!events.isEmpty() && (bytes + size > MAX_PAGE_BYTES || clash
                    || extra.size() + updates.size() > MAX_COMPANIONS_PER_PAGE)) {
                break;
            }
            events.put(key, slice);
            deltas.put(key, encoded);
            extra.addAll(updates);
            updates.forEach(u -> counters.add(counterKey(u)));
            bytes += size;
            if (slice.size() < entry.getValue().size()) {
                break;
            }
        }
        long[] fingerprints = events.values().stream().flatMap(List::stream)
                .mapToLong(aggregation::fingerprintOf).toArray();
        return new Page<>(events, deltas, extra, FingerprintSet.pack(fingerprints));
    }

    private static Map<String, AttributeValue> counterKey(Update update) {
        Map<String, AttributeValue> key = new HashMap<>(update.key());
        key.put("#table", AttributeValue.fromS(update.tableName()));
        return key;
    }

    /** Thrown when another writer committed the page first. */
    private static final class LostRace extends RuntimeException {
        private final TransactionCanceledException cause;

        LostRace(TransactionCanceledException cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    /** A page's content item, written before its commit. */
    private record Content(String id, byte[] fingerprints) {
    }

    private Content writeContent(String scope, Page<K, E> page) {
        String id = UUID.randomUUID().toString();
        Map<String, AttributeValue> members = new LinkedHashMap<>();
        page.deltas().forEach((key, delta) -> members.put(codec.member(key), delta));
        Map<String, AttributeValue> item = new HashMap<>(LedgerLayout.contentKey(scope, id));
        item.put(LedgerLayout.FINGERPRINTS, AttributeValue.fromB(SdkBytes.fromByteArray(page.packedFingerprints())));
        item.put(LedgerLayout.DELTAS, AttributeValue.fromM(members));
        item.put(LedgerLayout.TTL, AttributeValue.fromN(Long.toString(expiresOf(page))));
        dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        return new Content(id, page.packedFingerprints());
    }

    private long expiresOf(Page<K, E> page) {
        return codec.expiresAt(page.events().keySet().iterator().next());
    }

    private void commit(String scope, int number, Page<K, E> page, String contentId) {
        long expires = expiresOf(page);
        Map<String, AttributeValue> pageItem = new HashMap<>(LedgerLayout.pageKey(scope, number));
        pageItem.put(LedgerLayout.CONTENT, AttributeValue.fromS(contentId));
        pageItem.put(LedgerLayout.TTL, AttributeValue.fromN(Long.toString(expires)));

        Map<String, String> names = Map.of("#pages", LedgerLayout.PAGES, "#ttl", LedgerLayout.TTL,
                "#dp", LedgerLayout.MARK_PARTITION, "#ds", LedgerLayout.MARK_SORT);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":n", AttributeValue.fromN(Integer.toString(number)),
                ":ttl", AttributeValue.fromN(Long.toString(expires)),
                ":dp", AttributeValue.fromS(LedgerLayout.markPartition(scope)),
                ":ds", AttributeValue.fromS(scope)));
        String condition = "attribute_not_exists(#pages)";
        if (number > 1) {
            condition = "#pages = :prev";
            values.put(":prev", AttributeValue.fromN(Integer.toString(number - 1)));
        }
        List<TransactWriteItem> actions = new ArrayList<>(2 + page.companions().size());
        actions.add(TransactWriteItem.builder().put(Put.builder().tableName(table).item(pageItem)
                .conditionExpression("attribute_not_exists(pk)").build()).build());
        actions.add(TransactWriteItem.builder().update(Update.builder().tableName(table)
                .key(LedgerLayout.headKey(scope))
                .updateExpression("SET #pages = :n, #ttl = :ttl, #dp = :dp, #ds = :ds")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values).build()).build());
        page.companions().forEach(update -> actions.add(TransactWriteItem.builder().update(update).build()));
        try {
            dynamo.transactWriteItems(TransactWriteItemsRequest.builder().transactItems(actions)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        } catch (TransactionCanceledException cancelled) {
            if (lostRace(cancelled)) {
                throw new LostRace(cancelled);
            }
            throw cancelled;
        }
    }

    /**
     * Whether the page or the head condition cancelled the transaction (another writer committed
     * the page first), or a concurrent transaction on one of its items did: nothing was written, so
     * reading again and retrying is safe.
     */
    private static boolean lostRace(TransactionCanceledException cancelled) {
        if (!cancelled.hasCancellationReasons()) {
            return false;
        }
        List<CancellationReason> reasons = cancelled.cancellationReasons();
        for (int i = 0; i < reasons.size(); i++) {
            String code = reasons.get(i).code();
            if ("TransactionConflict".equals(code) || (i < 2 && "ConditionalCheckFailed".equals(code))) {
                return true;
            }
        }
        return false;
    }
}
