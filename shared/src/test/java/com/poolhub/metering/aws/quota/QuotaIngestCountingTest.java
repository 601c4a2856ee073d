package com.poolhub.metering.aws.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaEvents;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.RecordingPublisher;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

class QuotaIngestCountingTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private static final Instant T = Instant.parse("2026-11-22T11:59:10Z");
    private static final QuotaLimit GPU_DAY = new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY,
            new BigDecimal("10"), new BigDecimal("50"), true);

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final RecordingPublisher publisher = new RecordingPublisher();
    private final DynamoDbMeter meter = new DynamoDbMeter();
    /** Throws after a TransactWriteItems came back, as a lost response would: the write is committed. */
    private final AtomicBoolean loseNextTransactionResponse = new AtomicBoolean();
    /** Cancels the next TransactWriteItems before it is sent, as a conflicting transaction would. */
    private final AtomicBoolean conflictNextTransaction = new AtomicBoolean();
    private Map<Table, String> tables;
    private DynamoDbClient dynamo;
    private DynamoQuotaStore quotas;
    private IngestPipeline<UsageEvent, UsageKey> pipeline;

    @BeforeEach
    void setUp() {
        tables = LocalDynamo.freshTables();
        dynamo = LocalDynamo.client(meter, new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof TransactWriteItemsRequest && conflictNextTransaction.getAndSet(false)) {
                    throw TransactionCanceledException.builder().message("Transaction cancelled")
                            .cancellationReasons(CancellationReason.builder().code("None").build(),
                                    CancellationReason.builder().code("TransactionConflict").build())
                            .build();
                }
            }

            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                SdkRequest request = context.request();
                if (request instanceof TransactWriteItemsRequest && loseNextTransactionResponse.getAndSet(false)) {
                    throw SdkClientException.create("response lost after the write was committed");
                }
            }
        });
        quotas = new DynamoQuotaStore(dynamo, tables.get(Table.QUOTAS));
        quotas.putSettings("acme", GPU_DAY, Optional.empty(), NOW);
        UsageIngestion settings = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS),
                Duration.ofDays(35), Duration.ofDays(35), 4)
                .withQuotas(new QuotaCounting(tables.get(Table.QUOTAS), "bus", Duration.ofSeconds(30)));
        pipeline = settings.pipeline(dynamo, clock, publisher);
    }

    private IngestReport process(KinesisEvent event) {
        return pipeline.process(KinesisBatch.records(event));
    }

    private BigDecimal quotaUsed(String tenant, QuotaLimit quota, Instant t) {
        return quotas.use(List.of(PeriodKey.of(tenant, quota, t))).values().iterator().next().used();
    }

    private String aggregateQuantity(String tenant) {
        return dynamo.getItem(b -> b.tableName(tables.get(Table.USAGE)).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(tenant + "#MINUTE"),
                "sk", AttributeValue.fromS("2026-11-22T11:59:00Z#GPU#compute_seconds")))).item().get("quantity").n();
    }

    @Test
    void ingest_redeliveredBatch_doesNotDoubleCountQuotaUsage() {
        KinesisEvent batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "3", T))
                .record("acme", UsageEventJson.gpuSeconds("e2", "acme", "4.5", T))
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "3", T))
                .build();
        process(batch);
        process(batch);
        assertEquals(0, new BigDecimal("7.5").compareTo(quotaUsed("acme", GPU_DAY, T)));
        assertEquals("7.5", aggregateQuantity("acme"));

        process(KinesisEvents.shard("shardId-000000000000", 10)
                .record("acme", UsageEventJson.gpuSeconds("e2", "acme", "4.5", T))
                .record("acme", UsageEventJson.gpuSeconds("e3", "acme", "1", T))
                .build());
        assertEquals(0, new BigDecimal("8.5").compareTo(quotaUsed("acme", GPU_DAY, T)));
        assertEquals("8.5", aggregateQuantity("acme"));
    }

    @Test
    void ingest_whenResponseLostAfterCommit_retriedBatchCountsQuotaOnce() {
        KinesisEvent batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "2", T))
                .record("acme", UsageEventJson.gpuSeconds("e2", "acme", "2", T))
                .build();
        loseNextTransactionResponse.set(true);
        IngestReport failed = process(batch);
        assertEquals(2, failed.failedSequenceNumbers().size(), "the records come back to Lambda for a retry");
        IngestReport retried = process(batch);
        assertEquals(0, retried.failedSequenceNumbers().size());
        assertEquals(0, new BigDecimal("4").compareTo(quotaUsed("acme", GPU_DAY, T)));
        assertEquals("4", aggregateQuantity("acme"));
    }

    @Test
    void ingest_whenAQuotaConsumeTransactionConflicts_retriesAndCountsOnce() {
        conflictNextTransaction.set(true);
        IngestReport report = process(KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "2.5", T)).build());
        assertEquals(0, report.failedSequenceNumbers().size());
        assertEquals(1, report.eventsApplied());
        assertEquals(0, new BigDecimal("2.5").compareTo(quotaUsed("acme", GPU_DAY, T)));
        assertEquals("2.5", aggregateQuantity("acme"));
    }

    @Test
    void ingest_crossingThresholds_announcesEachOncePerPeriod() {
        process(KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "6", T)).build());
        process(KinesisEvents.shard("shardId-000000000000", 2)
                .record("acme", UsageEventJson.gpuSeconds("e2", "acme", "1", T)).build());
        var crossed = publisher.published(QuotaEvents.THRESHOLD_CROSSED);
        assertEquals(1, crossed.size());
        assertEquals("SOFT", crossed.get(0).detail().get("threshold").asText());
        assertEquals("6", crossed.get(0).detail().get("used").asText());
        assertEquals("5", crossed.get(0).detail().get("thresholdAmount").asText());

        // ingested use is never refused: it goes past the hard limit and crosses 100 % once
        process(KinesisEvents.shard("shardId-000000000000", 3)
                .record("acme", UsageEventJson.gpuSeconds("e3", "acme", "5", T)).build());
        process(KinesisEvents.shard("shardId-000000000000", 4)
                .record("acme", UsageEventJson.gpuSeconds("e4", "acme", "5", T)).build());
        crossed = publisher.published(QuotaEvents.THRESHOLD_CROSSED);
        assertEquals(2, crossed.size());
        assertEquals("LIMIT", crossed.get(1).detail().get("threshold").asText());
        assertEquals(0, new BigDecimal("17").compareTo(quotaUsed("acme", GPU_DAY, T)));
    }

    @Test
    void ingest_whenAnnouncementFails_theNextBatchAnnouncesIt() {
        publisher.failNextCalls(1);
        process(KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "6", T)).build());
        assertEquals(0, publisher.published().size());
        process(KinesisEvents.shard("shardId-000000000000", 2)
                .record("acme", UsageEventJson.gpuSeconds("e2", "acme", "0.5", T)).build());
        assertEquals(1, publisher.published(QuotaEvents.THRESHOLD_CROSSED).size());
    }

    @Test
    void ingest_aBatchCommitsInOneTransaction_withTheQuotaCounterInItWhenThereIsOne() {
        meter.reset();
        process(KinesisEvents.shard("shardId-000000000000", 1)
                .record("globex", UsageEventJson.gpuSeconds("g1", "globex", "3", T)).build());
        assertEquals(1, meter.requests("TransactWriteItems"));
        meter.reset();
        process(KinesisEvents.shard("shardId-000000000000", 2)
                .record("acme", UsageEventJson.gpuSeconds("a1", "acme", "1", T)).build());
        assertEquals(1, meter.requests("TransactWriteItems"));
        assertEquals(0, new BigDecimal("1").compareTo(quotaUsed("acme", GPU_DAY, T)));
    }

    @Test
    void ingest_countsEachEventInThePeriodOfItsOwnTime() {
        Instant yesterday = Instant.parse("2026-11-21T23:59:59Z");
        process(KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "2", yesterday))
                .record("acme", UsageEventJson.gpuSeconds("e2", "acme", "3", T))
                .build());
        assertEquals(0, new BigDecimal("2").compareTo(quotaUsed("acme", GPU_DAY, yesterday)));
        assertEquals(0, new BigDecimal("3").compareTo(quotaUsed("acme", GPU_DAY, T)));
        assertTrue(publisher.published().isEmpty());
    }

    @Test
    void ingest_countsEveryQuotaPeriodOfAResourceInOneUpdate_andNoPeriodBeforeThePreviousOne() {
        QuotaLimit hour = new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.HOUR,
                new BigDecimal("100"), new BigDecimal("80"), false);
        quotas.putSettings("acme", hour, Optional.empty(), NOW);
        Instant twoDaysAgo = Instant.parse("2026-11-20T10:00:00Z");
        meter.reset();
        process(KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", UsageEventJson.gpuSeconds("e1", "acme", "2", T)).build());
        assertEquals(1, meter.requests("TransactWriteItems"), "the page, its head and one update of the quota item");
        process(KinesisEvents.shard("shardId-000000000000", 2)
                .record("acme", UsageEventJson.gpuSeconds("old", "acme", "5", twoDaysAgo)).build());
        assertEquals(0, new BigDecimal("2").compareTo(quotaUsed("acme", GPU_DAY, T)));
        assertEquals(0, new BigDecimal("2").compareTo(quotaUsed("acme", hour, T)));
        assertEquals(0, BigDecimal.ZERO.compareTo(quotaUsed("acme", GPU_DAY, twoDaysAgo)),
                "a period before the previous one is no longer counted");
    }
}
