package com.poolhub.metering.aws.dynamodb.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The usage ledger at the sizes of the biggest tenants: one key-minute far past what an item could
 * hold, many writers on one key at once, folding left to the sweep, and folds repeated or raced.
 */
class UsageLedgerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Instant MINUTE = Instant.parse("2026-11-22T11:58:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final Map<Table, String> tables = LocalDynamo.freshTables();
    private final DynamoDbMeter meter = new DynamoDbMeter();
    private final DynamoDbClient dynamo = LocalDynamo.client(meter);

    private UsageIngestion ingestion(LedgerSettings ledger) {
        return new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 4).withLedger(ledger);
    }

    /** Events of one tenant, resource, unit and minute: ids {@code prefix0..}, one second of quantity each. */
    private static List<String> oneKeyMinute(String prefix, int count) {
        List<String> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(UsageEventJson.gpuSeconds(prefix + i, "bigco", "1",
                    MINUTE.plusMillis(i % 60_000)));
        }
        return events;
    }

    /** A Kinesis batch of the events, 500 to a record (an aggregated producer's CloudEvents array). */
    private static KinesisEvent batch(String shard, long firstSequence, List<String> events) {
        KinesisEvents builder = KinesisEvents.shard(shard, firstSequence);
        for (int from = 0; from < events.size(); from += 500) {
            builder.record("node-" + from, "[" + String.join(",", events.subList(from, Math.min(events.size(), from + 500)))
                    + "]");
        }
        return builder.build();
    }

    private Map<String, AttributeValue> minuteItem() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.get(Table.USAGE)).consistentRead(true)
                .key(Map.of("pk", AttributeValue.fromS("bigco#MINUTE"),
                        "sk", AttributeValue.fromS("2026-11-22T11:58:00Z#GPU#compute_seconds")))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private List<Map<String, AttributeValue>> ledgerItems() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(tables.get(Table.USAGE)).consistentRead(true)).items().forEach(item -> {
            if (LedgerLayout.isLedger(item.get("pk").s())) {
                items.add(item);
            }
        });
        return items;
    }

    @Test
    void oneKeyMinute_300000Events_areCountedExactlyWithNoRejectAndNoItemNearTheLimit() {
        IngestPipeline<UsageEvent, UsageKey> pipeline = ingestion(LedgerSettings.immediate()).pipeline(dynamo, CLOCK);
        List<String> events = oneKeyMinute("e", 300_000);
        long applied = 0;
        for (int from = 0, batch = 0; from < events.size(); from += 10_000, batch++) {
            List<String> slice = new ArrayList<>(events.subList(from, from + 10_000));
            if (from > 0) {
                slice.addAll(events.subList(from - 100, from)); // producers resend the end of the last batch
            }
            IngestReport report = pipeline.process(KinesisBatch.records(batch("shardId-000000000000", batch * 1000L, slice)));
            assertEquals(List.of(), report.failedSequenceNumbers());
            assertEquals(0, report.rejected());
            applied += report.eventsApplied();
        }
        assertEquals(300_000, applied);
        Map<String, AttributeValue> item = minuteItem();
        assertEquals(0, new BigDecimal("300000").compareTo(new BigDecimal(item.get("quantity").n())));
        assertEquals("300000", item.get("events").n());
        assertTrue(AttributeSizes.ofItem(item) < 1_000, "the aggregate stays small: " + AttributeSizes.ofItem(item));
        for (Map<String, AttributeValue> ledgerItem : ledgerItems()) {
            assertTrue(AttributeSizes.ofItem(ledgerItem) < DynamoLedgerStore.MAX_PAGE_BYTES + 10_000,
                    "page " + ledgerItem.get("sk").s() + " holds " + AttributeSizes.ofItem(ledgerItem) + " bytes");
        }
        assertTrue(dynamo.scan(b -> b.tableName(tables.get(Table.REJECTS))).items().isEmpty());
    }

    @Test
    void eightWritersOnOneKeyAtOnce_countEveryEventOnce_andTheirConflictsAreRetried() throws Exception {
        int writers = 8;
        List<String> events = oneKeyMinute("w", 8 * 6 * 400);
        List<List<KinesisEvent>> shards = new ArrayList<>();
        Random random = new Random(3);
        for (int shard = 0; shard < writers; shard++) {
            List<KinesisEvent> batches = new ArrayList<>();
            for (int b = 0; b < 6; b++) {
                int from = (shard * 6 + b) * 400;
                List<String> slice = new ArrayList<>(events.subList(from, from + 400));
                for (int r = 0; r < 20; r++) {
                    slice.add(events.get(random.nextInt(events.size()))); // resends, landing on any shard
                }
                Collections.shuffle(slice, random);
                batches.add(batch("shardId-00000000000" + shard, b * 1000L, slice));
            }
            shards.add(batches);
        }
        ExecutorService threads = Executors.newFixedThreadPool(writers, Workers.daemon("shard"));
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(writers);
        try {
            List<CompletableFuture<Long>> runs = new ArrayList<>();
            for (List<KinesisEvent> batches : shards) {
                // each shard its own container: its own pipeline, cache and client
                IngestPipeline<UsageEvent, UsageKey> pipeline = ingestion(LedgerSettings.immediate())
                        .pipeline(LocalDynamo.client(meter), CLOCK);
                runs.add(CompletableFuture.supplyAsync(() -> {
                    start.countDown();
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    long applied = 0;
                    for (KinesisEvent batch : batches) {
                        IngestReport report = pipeline.process(KinesisBatch.records(batch));
                        assertEquals(List.of(), report.failedSequenceNumbers());
                        applied += report.eventsApplied();
                    }
                    return applied;
                }, threads));
            }
            long applied = 0;
            for (CompletableFuture<Long> run : runs) {
                applied += run.get();
            }
            assertEquals(events.size(), applied);
        } finally {
            threads.shutdownNow();
        }
        Map<String, AttributeValue> item = minuteItem();
        assertEquals(Integer.toString(events.size()), item.get("events").n());
        long pages = ledgerItems().stream().filter(i -> i.get("sk").s().startsWith("P#")).count();
        long transactions = meter.requests("TransactWriteItems");
        System.out.printf("8 writers on one key: %d events, %d pages, %d commit attempts, %d conflicts retried%n",
                events.size(), pages, transactions, transactions - pages);
        assertTrue(transactions >= pages);
    }

    @Test
    void aCommitThatLosesTheRaceToAnotherWriter_readsTheNewPageAndCountsOnlyWhatItHolds() {
        List<String> first = oneKeyMinute("a", 100);
        List<String> second = new ArrayList<>(oneKeyMinute("b", 100));
        second.addAll(first.subList(0, 40)); // the other writer carries resends of 40 of this writer's events
        IngestPipeline<UsageEvent, UsageKey> other = ingestion(LedgerSettings.immediate()).pipeline(LocalDynamo.client(), CLOCK);
        java.util.concurrent.atomic.AtomicBoolean raced = new java.util.concurrent.atomic.AtomicBoolean();
        DynamoDbClient racing = LocalDynamo.client(meter, new software.amazon.awssdk.core.interceptor.ExecutionInterceptor() {
            @Override
            public void beforeExecution(software.amazon.awssdk.core.interceptor.Context.BeforeExecution context,
                                        software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
                if (context.request() instanceof software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest
                        && raced.compareAndSet(false, true)) {
                    // another container commits the page this one is about to write
                    assertEquals(140, other.process(KinesisBatch.records(batch("shardId-000000000001", 0, second)))
                            .eventsApplied());
                }
            }
        });
        IngestPipeline<UsageEvent, UsageKey> pipeline = ingestion(LedgerSettings.immediate()).pipeline(racing, CLOCK);

        IngestReport report = pipeline.process(KinesisBatch.records(batch("shardId-000000000000", 0, first)));

        assertTrue(raced.get());
        assertEquals(60, report.eventsApplied(), "the 40 the other writer counted are not counted again");
        assertEquals(40, report.duplicates());
        assertEquals("200", minuteItem().get("events").n());
        assertEquals(2, ledgerItems().stream().filter(i -> i.get("sk").s().startsWith("P#")).count());
    }

    @Test
    void withAFoldInterval_batchesAreCommittedAtOnce_andTheSweepFoldsThemIntoTheMinute() {
        IngestPipeline<UsageEvent, UsageKey> pipeline = ingestion(LedgerSettings.immediate()
                .withFoldInterval(Duration.ofHours(1))).pipeline(dynamo, CLOCK);
        for (int b = 0; b < 3; b++) {
            IngestReport report = pipeline.process(KinesisBatch.records(
                    batch("shardId-000000000000", b * 100L, oneKeyMinute("lazy" + b + "-", 50))));
            assertEquals(50, report.eventsApplied());
        }
        assertNull(minuteItem(), "nothing folded yet: the interval has not passed");

        LedgerFolder<UsageKey, ?> folder = UsageIngestion.folder(dynamo, tables.get(Table.USAGE), Duration.ofDays(35),
                Workers.pool(2, "test-folder"));
        LedgerFolder.FoldReport first = folder.foldMarked();
        assertEquals(3, first.pages());
        assertEquals("150", minuteItem().get("events").n());
        assertTrue(ledgerItems().stream().noneMatch(i -> i.containsKey(LedgerLayout.MARK_PARTITION)),
                "the head's mark is cleared once everything is folded");

        LedgerFolder.FoldReport again = folder.foldMarked();
        assertEquals(0, again.pages());
        assertEquals(0, again.written());
        // a redelivery finds every event counted and commits nothing
        IngestReport redelivered = pipeline.process(KinesisBatch.records(
                batch("shardId-000000000000", 0, oneKeyMinute("lazy0-", 50))));
        assertEquals(0, redelivered.eventsApplied());
        assertEquals(50, redelivered.duplicates());
        assertEquals("150", minuteItem().get("events").n());
    }

    @Test
    void foldsRacingOnOneScope_foldEachPageOnce() throws Exception {
        IngestPipeline<UsageEvent, UsageKey> pipeline = ingestion(LedgerSettings.immediate()
                .withFoldInterval(Duration.ofHours(1))).pipeline(dynamo, CLOCK);
        for (int b = 0; b < 10; b++) {
            pipeline.process(KinesisBatch.records(batch("shardId-000000000000", b * 100L, oneKeyMinute("race" + b + "-", 30))));
        }
        ExecutorService threads = Executors.newFixedThreadPool(4, Workers.daemon("folders"));
        try {
            List<CompletableFuture<LedgerFolder.FoldReport>> folds = new ArrayList<>();
            for (int f = 0; f < 4; f++) {
                LedgerFolder<UsageKey, ?> folder = UsageIngestion.folder(LocalDynamo.client(), tables.get(Table.USAGE),
                        Duration.ofDays(35), Workers.pool(2, "test-folder"));
                folds.add(CompletableFuture.supplyAsync(folder::foldMarked, threads));
            }
            for (CompletableFuture<LedgerFolder.FoldReport> fold : folds) {
                assertEquals(0, fold.get().failed());
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals("300", minuteItem().get("events").n());
        assertEquals("10", minuteItem().get("lp").n());
        assertFalse(ledgerItems().stream().anyMatch(i -> i.containsKey(LedgerLayout.MARK_PARTITION)));
    }
}
