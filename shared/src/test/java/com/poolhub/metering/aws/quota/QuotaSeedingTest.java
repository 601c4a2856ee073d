package com.poolhub.metering.aws.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.quota.PeriodKey;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.RecordingPublisher;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.Granularity;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/** A quota set mid-period starts from the period's ingested usage so far, each event counted once. */
class QuotaSeedingTest {
    private static final Instant NOON = Instant.parse("2026-11-22T12:00:00Z");
    private static final Instant MORNING = Instant.parse("2026-11-22T08:30:00Z");
    private static final Duration CACHE_TTL = Duration.ofSeconds(30);
    /** When ingest is sure to count a quota set at {@link #NOON}: its cache time and the write bound later. */
    private static final Instant SETTLED = NOON.plus(CACHE_TTL).plus(QuotaSeeder.WRITE_BOUND);

    /** Ingest leaves its pages unfolded for the whole test: only the seeding folds them. */
    private static final Duration FOLD_LAG = Duration.ofHours(1);

    private final MutableClock clock = new MutableClock(NOON);

    private Map<Table, String> tables;
    private DynamoDbClient dynamo;
    private DynamoQuotaStore quotas;
    private final AtomicReference<Runnable> afterAggregatesRead = new AtomicReference<>();
    private final AtomicInteger shardSequence = new AtomicInteger(1);

    private void start() {
        tables = LocalDynamo.freshTables();
        dynamo = LocalDynamo.client(new DynamoDbMeter(), new ExecutionInterceptor() {
            @Override
            public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof QueryRequest query && query.tableName().equals(tables.get(Table.USAGE))
                        && query.indexName() == null) {
                    Runnable action = afterAggregatesRead.getAndSet(null);
                    if (action != null) {
                        action.run();
                    }
                }
            }
        });
        quotas = new DynamoQuotaStore(dynamo, tables.get(Table.QUOTAS));
    }

    private static QuotaLimit gpuDay(String limit) {
        return new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY, new BigDecimal(limit),
                new BigDecimal("80"), true);
    }

    private IngestPipeline<UsageEvent, UsageKey> pipeline(Instant now) {
        return new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 2)
                .withQuotas(new QuotaCounting(tables.get(Table.QUOTAS), "bus", CACHE_TTL))
                .withLedger(LedgerSettings.immediate().withFoldInterval(FOLD_LAG))
                .pipeline(dynamo, Clock.fixed(now, ZoneOffset.UTC), new RecordingPublisher());
    }

    private void ingest(IngestPipeline<UsageEvent, UsageKey> pipeline, String id, String quantity, Instant at) {
        pipeline.process(KinesisBatch.records(KinesisEvents.shard("shardId-000000000000", shardSequence.getAndIncrement())
                .record("acme", UsageEventJson.gpuSeconds(id, "acme", quantity, at)).build()));
    }

    private QuotaSeeder seeder(Instant now) {
        clock.set(now);
        return QuotaSeeder.of(dynamo, quotas, tables.get(Table.USAGE), Duration.ofDays(35), LedgerSettings.immediate(),
                CACHE_TTL, Workers.pool(4, "seed"), clock);
    }

    private void setLimit(QuotaLimit quota, Instant now) {
        quotas.putSettings("acme", quota, Optional.empty(), now);
        seeder(now).started("acme", quota);
    }

    /** The counter as a check or consume reads it at {@code now}: settled first when it is due. */
    private BigDecimal usedAsRead(QuotaLimit quota, Instant now) {
        PeriodKey key = PeriodKey.of("acme", quota, now);
        return seeder(now).settled(quotas.use(List.of(key))).get(key).used();
    }

    private BigDecimal used(QuotaLimit quota, Instant t) {
        return quotas.use(List.of(PeriodKey.of("acme", quota, t))).values().iterator().next().used();
    }

    /** A hard consume of {@code amount}, as the quota service writes it. */
    private boolean consume(QuotaLimit quota, String amount, Instant now) {
        BigDecimal requested = new BigDecimal(amount);
        QuotaItem item = quotas.item("acme", quota.resource(), quota.unit()).orElseThrow();
        return quotas.consume(new DynamoQuotaStore.ConsumeWrite("acme", quota.resource(), quota.unit(), item.version(),
                List.of(new DynamoQuotaStore.CounterAdd(PeriodKey.of("acme", quota, now), requested,
                        quota.limit().subtract(requested))), null, null, now.toEpochMilli())).written();
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), () -> "expected " + expected + " but was " + actual);
    }

    @Test
    void limitSetAtNoon_afterAMorningOf90000_grantsOnly10000More() {
        start();
        IngestPipeline<UsageEvent, UsageKey> ingest = pipeline(NOON);
        ingest(ingest, "m1", "60000", MORNING);
        ingest(ingest, "m2", "30000", MORNING.plusSeconds(3600));
        assertEquals(List.of(), new DynamoUsageReader(dynamo, tables.get(Table.USAGE), true)
                .all("acme", Granularity.MINUTE, MORNING, NOON), "the morning is still in unfolded pages");

        setLimit(gpuDay("100000"), NOON);

        assertAmount("90000", used(gpuDay("100000"), NOON));
        assertFalse(consume(gpuDay("100000"), "50000", NOON));
        assertTrue(consume(gpuDay("100000"), "10000", NOON));
        assertFalse(consume(gpuDay("100000"), "0.000000001", NOON));
    }

    @Test
    void limitChangedMidPeriod_keepsItsUse_consumedAndIngested() {
        start();
        IngestPipeline<UsageEvent, UsageKey> ingest = pipeline(NOON);
        ingest(ingest, "m1", "90000", MORNING);
        setLimit(gpuDay("100000"), NOON);
        assertTrue(consume(gpuDay("100000"), "5", NOON));
        ingest(pipeline(NOON), "n1", "3", NOON.minusSeconds(30));

        setLimit(gpuDay("120000"), NOON.plusSeconds(60));

        assertAmount("90008", used(gpuDay("120000"), NOON));
        assertFalse(consume(gpuDay("120000"), "29993", NOON));
    }

    @Test
    void usageArrivingWhileTheLimitIsSeeded_countsEachEventOnce() {
        start();
        IngestPipeline<UsageEvent, UsageKey> unaware = pipeline(NOON);
        ingest(unaware, "m1", "1000", MORNING);
        QuotaLimit quota = gpuDay("100000");
        quotas.putSettings("acme", quota, Optional.empty(), NOON);
        IngestPipeline<UsageEvent, UsageKey> aware = pipeline(NOON);
        // once the seeding has read the counter and the aggregates, before it writes, one batch adds
        // to the counter and one does not (its ingest still caches the tenant without the quota)
        afterAggregatesRead.set(() -> {
            ingest(aware, "c1", "7", NOON.minusSeconds(20));
            ingest(unaware, "c2", "11", NOON.minusSeconds(10));
        });

        seeder(NOON).started("acme", quota);

        assertEquals(null, afterAggregatesRead.get(), "the batches ran while the counter was seeded");
        assertAmount("1018", used(quota, NOON));
        ingest(aware, "c3", "2", NOON.minusSeconds(5));
        ingest(aware, "c1", "7", NOON.minusSeconds(20));
        assertAmount("1020", used(quota, NOON));
    }

    @Test
    void limitSetInTheLastMinuteOfTheDay_countsThatDayOnly_andTheNextDayStartsFromZero() {
        start();
        Instant lastMinute = Instant.parse("2026-11-22T23:59:30Z");
        IngestPipeline<UsageEvent, UsageKey> ingest = pipeline(lastMinute);
        ingest(ingest, "y1", "500", Instant.parse("2026-11-21T23:59:50Z"));
        ingest(ingest, "d1", "40", Instant.parse("2026-11-22T00:00:00Z"));
        ingest(ingest, "d2", "2", Instant.parse("2026-11-22T23:59:10Z"));

        setLimit(gpuDay("100"), lastMinute);

        assertAmount("42", used(gpuDay("100"), lastMinute));
        Instant nextDay = Instant.parse("2026-11-23T00:00:05Z");
        ingest(pipeline(nextDay), "n1", "9", nextDay);
        assertAmount("9", used(gpuDay("100"), nextDay));
        assertAmount("42", used(gpuDay("100"), lastMinute));
    }

    @Test
    void usageFromAnIngestThatDoesNotKnowTheLimitYet_isCountedWhenTheCounterSettles() {
        start();
        IngestPipeline<UsageEvent, UsageKey> unaware = pipeline(NOON);
        ingest(unaware, "m1", "90000", MORNING);
        QuotaLimit quota = gpuDay("100000");
        setLimit(quota, NOON);
        IngestPipeline<UsageEvent, UsageKey> aware = pipeline(NOON);
        ingest(unaware, "s1", "4000", NOON.plusSeconds(5));
        ingest(aware, "s2", "500", NOON.plusSeconds(6));

        assertAmount("90500", usedAsRead(quota, SETTLED.minusSeconds(1)));
        assertAmount("94500", usedAsRead(quota, SETTLED));
        ingest(aware, "s3", "1", NOON.plusSeconds(7));
        ingest(unaware, "s1", "4000", NOON.plusSeconds(5));
        assertAmount("94501", usedAsRead(quota, SETTLED.plusSeconds(60)));
    }

    @Test
    void limitSetInTheLastMinute_settlesTheNextDayToo() {
        start();
        Instant lastMinute = Instant.parse("2026-11-22T23:59:30Z");
        Instant nextDay = Instant.parse("2026-11-23T00:00:10Z");
        IngestPipeline<UsageEvent, UsageKey> unaware = pipeline(nextDay);
        ingest(unaware, "y1", "1", Instant.parse("2026-11-22T10:00:00Z"));
        setLimit(gpuDay("100"), lastMinute);
        ingest(unaware, "n1", "9", nextDay);

        assertAmount("0", used(gpuDay("100"), nextDay));
        assertAmount("9", usedAsRead(gpuDay("100"), lastMinute.plus(CACHE_TTL).plus(QuotaSeeder.WRITE_BOUND)));
        assertAmount("1", used(gpuDay("100"), lastMinute));
    }
}
