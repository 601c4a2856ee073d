package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.IngestSettings;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoExactlyOnceStore;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.TelemetryEventJson;
import com.poolhub.metering.usage.UsageAggregation;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageEventDecoder;
import com.poolhub.metering.usage.UsageKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class RejectReplayFunctionTest {
    static final Instant SKEWED = Instant.parse("2026-11-22T12:08:00Z");
    static final Clock LATER = Clock.fixed(Instant.parse("2026-11-22T12:10:00Z"), ZoneOffset.UTC);

    private final IngestHarness harness = new IngestHarness();

    private RejectStore rejectStore() {
        return new DynamoRejectStore(LocalDynamo.client(), harness.tables.get(Table.REJECTS), Duration.ofDays(35));
    }

    private RejectReplayFunction replayer(Clock clock) {
        return replayer(harness.settings().pipeline(LocalDynamo.client(), clock), clock);
    }

    private RejectReplayFunction replayer(IngestPipeline<UsageEvent, UsageKey> usage, Clock clock) {
        return new RejectReplayFunction(Map.of(UsageIngestion.STREAM, usage,
                TelemetryIngestion.STREAM, harness.telemetrySettings().pipeline(LocalDynamo.client(), clock)), rejectStore());
    }

    /** The usage pipeline on the test's tables, where the aggregates of {@code fullTenant} take no more events. */
    private IngestPipeline<UsageEvent, UsageKey> usagePipeline(Clock clock, boolean storeNamesRefused, String fullTenant) {
        UsageIngestion settings = harness.settings();
        UsageAggregation aggregation = new UsageAggregation();
        var real = new DynamoExactlyOnceStore<>(LocalDynamo.client(), settings.usageTable(), aggregation,
                new UsageAggregateCodec(settings.minuteRetention()), Workers.pool(4, "replay-test-writer"));
        Predicate<UsageKey> full = key -> key.tenant().equals(fullTenant);
        ExactlyOnceStore<UsageEvent, UsageKey> store = storeNamesRefused
                ? FullAggregates.naming(real, full, aggregation::fingerprintOf) : FullAggregates.silent(real, full);
        return new IngestPipeline<>(UsageIngestion.STREAM, new UsageEventDecoder(),
                IngestSettings.timePolicy(clock, settings.lateArrivalLimit()), aggregation, store, rejectStore());
    }

    private static SentEvent skewed(String id, String tenant) {
        return new SentEvent("//nodes/n1", id, tenant, "GPU", "compute_seconds", "4.5", SKEWED);
    }

    private void ingestAtNow(String... events) {
        var batch = KinesisEvents.shard("shardId-000000000000", 1);
        for (String event : events) {
            batch.record("acme", event);
        }
        harness.function().handleRequest(batch.build(), null);
    }

    private List<String> keptReasonCodes() {
        return harness.rejects().stream().map(item -> item.get("reasonCode").s()).sorted().toList();
    }

    private static List<?> stillRejected(Map<String, Object> answer) {
        return (List<?>) answer.get("stillRejected");
    }

    @Test
    void replay_whenRejectIsValidNow_countsItOnceAndRemovesIt() {
        SentEvent early = skewed("clock-skew", "acme");
        ingestAtNow(early.json(), "[1,2]");
        assertEquals(Map.of(), harness.aggregates());

        Map<String, Object> listed = replayer(LATER).handleRequest(Map.of("day", "2026-11-22", "dryRun", true), null);
        Map<String, Object> replayed = replayer(LATER).handleRequest(Map.of("day", "2026-11-22"), null);
        Map<String, Object> again = replayer(LATER).handleRequest(Map.of("day", "2026-11-22"), null);

        assertEquals(3, listed.get("listed"));
        assertEquals(1, replayed.get("replayed"));
        assertEquals(2, stillRejected(replayed).size());
        assertEquals(0, again.get("replayed"));
        assertEquals(IngestHarness.oracle(List.of(early)), harness.aggregates());
        assertEquals(2, harness.rejects().size());
    }

    @Test
    void replay_whenEventIsRefusedForAnotherReasonNow_keepsItsRejectWithTheNewReason() {
        ingestAtNow(skewed("clock-skew", "acme").json());
        assertEquals(List.of("IN_FUTURE"), keptReasonCodes());
        Clock fortyDaysOn = Clock.fixed(SKEWED.plus(Duration.ofDays(40)), ZoneOffset.UTC);

        Map<String, Object> replayed = replayer(fortyDaysOn).handleRequest(Map.of("day", "2026-11-22"), null);

        assertEquals(0, replayed.get("replayed"));
        assertEquals("TOO_LATE", ((Map<?, ?>) stillRejected(replayed).get(0)).get("reasonCode"));
        assertEquals(List.of("TOO_LATE"), keptReasonCodes());
        assertEquals(Map.of(), harness.aggregates());
    }

    @Test
    void replayTwice_whenOneAggregateIsFull_countsTheOthersOnceAndKeepsTheFullOnesReject() {
        SentEvent counted = skewed("valid-later", "acme");
        SentEvent resent = skewed("valid-later", "acme");
        SentEvent refused = skewed("valid-later-but-full", "big-tenant");
        SentEvent refusedResent = skewed("valid-later-but-full", "big-tenant");
        ingestAtNow(counted.json(), resent.json(), refused.json(), refusedResent.json());
        RejectReplayFunction replayer = replayer(usagePipeline(LATER, true, "big-tenant"), LATER);

        Map<String, Object> first = replayer.handleRequest(Map.of("day", "2026-11-22"), null);
        Map<String, Object> second = replayer.handleRequest(Map.of("day", "2026-11-22"), null);

        assertEquals(2, first.get("replayed"));
        assertEquals(0, second.get("replayed"));
        assertEquals(2, stillRejected(second).size());
        assertEquals("AGGREGATE_FULL", ((Map<?, ?>) stillRejected(second).get(0)).get("reasonCode"));
        assertEquals(IngestHarness.oracle(List.of(counted)), harness.aggregates());
        assertEquals(List.of("AGGREGATE_FULL", "AGGREGATE_FULL"), keptReasonCodes());
    }

    @Test
    void replay_whenStoreLeavesEventsUncountedWithoutNamingThem_keepsTheirRejectsAsTheyWere() {
        ingestAtNow(skewed("valid-later", "big-tenant").json());
        RejectReplayFunction replayer = replayer(usagePipeline(LATER, false, "big-tenant"), LATER);

        Map<String, Object> replayed = replayer.handleRequest(Map.of("day", "2026-11-22"), null);

        assertEquals(0, replayed.get("replayed"));
        assertEquals(1, replayed.get("failed"));
        assertEquals(List.of("IN_FUTURE"), keptReasonCodes());
        assertEquals(Map.of(), harness.aggregates());
    }

    @Test
    void replay_ofTelemetryRejects_listsThemAndCountsTheHeartbeatValidNow() {
        String miner = "rig-7";
        String heartbeat = TelemetryEventJson.heartbeat("hb-1", miner, SKEWED, "ONLINE", 8, 2).toString();
        harness.telemetrySettings().pipeline(LocalDynamo.client(), IngestHarness.CLOCK).process(List.of(
                new StreamRecord("shardId-000000000000", "1", miner, IngestHarness.NOW,
                        ByteBuffer.wrap(heartbeat.getBytes(StandardCharsets.UTF_8)))));
        Map<String, Object> telemetry = Map.of("day", "2026-11-22", "stream", TelemetryIngestion.STREAM);

        Map<String, Object> usageListed = replayer(LATER).handleRequest(Map.of("day", "2026-11-22", "dryRun", true), null);
        Map<String, Object> listed = replayer(LATER).handleRequest(
                Map.of("day", "2026-11-22", "stream", TelemetryIngestion.STREAM, "dryRun", true), null);
        Map<String, Object> replayed = replayer(LATER).handleRequest(telemetry, null);
        Map<String, Object> again = replayer(LATER).handleRequest(telemetry, null);

        assertEquals(0, usageListed.get("listed"));
        assertEquals(1, listed.get("listed"));
        assertEquals("IN_FUTURE", ((Map<?, ?>) ((List<?>) listed.get("rejects")).get(0)).get("reasonCode"));
        assertEquals(1, replayed.get("replayed"));
        assertEquals(0, again.get("listed"));
        assertTrue(hour(miner, Instant.parse("2026-11-22T12:00:00Z")).isUp(new BucketGrid(60).bucketOf(SKEWED)));
        assertEquals(List.of(), harness.rejects());
    }

    private MinerHour hour(String miner, Instant hour) {
        Map<String, AttributeValue> item = harness.reader.getItem(b -> b.tableName(harness.tables.get(Table.TELEMETRY))
                .consistentRead(true).key(Map.of("pk", AttributeValue.fromS(MinerHourCodec.partition(miner)),
                        "sk", AttributeValue.fromS(MinerHourCodec.sortKey(hour))))).item();
        return harness.telemetrySettings().codec().decode(item);
    }

    @Test
    void replay_whenRequestIsMalformed_answersWithUsage() {
        Map<String, Object> answer = replayer(IngestHarness.CLOCK).handleRequest(Map.of("day", "22/11/2026"), null);
        assertEquals(true, answer.containsKey("error"));
    }

    @Test
    void replay_whenStreamIsUnknown_answersWithUsage() {
        Map<String, Object> answer = replayer(IngestHarness.CLOCK).handleRequest(
                Map.of("day", "2026-11-22", "stream", "miner-telemetery"), null);
        assertTrue(String.valueOf(answer.get("error")).contains("unknown stream miner-telemetery"));
    }
}
