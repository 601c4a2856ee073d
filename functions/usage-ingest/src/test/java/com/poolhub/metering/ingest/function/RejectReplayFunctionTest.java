package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.IngestSettings;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.ingest.rejects.RejectOperations;
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
        return new RejectReplayFunction(new RejectOperations(Map.of(UsageIngestion.STREAM, usage,
                TelemetryIngestion.STREAM, harness.telemetrySettings().pipeline(LocalDynamo.client(), clock)), rejectStore(),
                new DynamoAuditLog(LocalDynamo.client(), harness.tables.get(Table.AUDIT), Duration.ofDays(400), clock), clock));
    }

    /** A usage pipeline on the test's tables whose store silently counts nothing. */
    private IngestPipeline<UsageEvent, UsageKey> uncountingPipeline(Clock clock) {
        UsageIngestion settings = harness.settings();
        return new IngestPipeline<>(UsageIngestion.STREAM, new UsageEventDecoder(),
                IngestSettings.timePolicy(clock, settings.lateArrivalLimit()), new UsageAggregation(),
                new UncountingStore<>(), rejectStore());
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
    void replay_whenRejectIsValidNow_countsItOnceAndResolvesIt_keptAWeekMore() {
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
        List<Map<String, AttributeValue>> resolved = harness.resolvedRejects();
        assertEquals(1, resolved.size());
        assertEquals(LATER.instant().toString(), resolved.get(0).get("resolvedAt").s());
        assertEquals(LATER.instant().plus(Duration.ofDays(7)).getEpochSecond(), Long.parseLong(resolved.get(0).get("ttl").n()));
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
    void replayTwice_countsEachEventOnce_andRemovesOnlyTheRejectsOfCountedEvents() {
        SentEvent counted = skewed("valid-later", "acme");
        SentEvent resent = skewed("valid-later", "acme");
        ingestAtNow(counted.json(), resent.json(), "[1,2]");
        RejectReplayFunction replayer = replayer(LATER);

        Map<String, Object> first = replayer.handleRequest(Map.of("day", "2026-11-22"), null);
        Map<String, Object> second = replayer.handleRequest(Map.of("day", "2026-11-22"), null);

        assertEquals(2, first.get("replayed"), "the event and its resend: one counted, one found counted");
        assertEquals(0, second.get("replayed"));
        assertEquals(2, stillRejected(second).size());
        assertEquals(IngestHarness.oracle(List.of(counted)), harness.aggregates());
        assertEquals(2, harness.rejects().size(), "only the malformed record's rejects stay");
    }

    @Test
    void replay_whenStoreLeavesEventsUncountedWithoutNamingThem_keepsTheirRejectsAsTheyWere() {
        ingestAtNow(skewed("valid-later", "big-tenant").json());
        RejectReplayFunction replayer = replayer(uncountingPipeline(LATER), LATER);

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
