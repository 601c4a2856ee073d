package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RejectReplayFunctionTest {
    private final IngestHarness harness = new IngestHarness();

    private RejectReplayFunction replayer(Clock clock) {
        var dynamo = LocalDynamo.client();
        return new RejectReplayFunction(harness.settings().pipeline(dynamo, clock),
                new DynamoRejectStore(dynamo, harness.tables.get(Table.REJECTS), Duration.ofDays(35)));
    }

    @Test
    void replay_whenRejectIsValidNow_countsItOnceAndRemovesIt() {
        SentEvent early = new SentEvent("//nodes/n1", "clock-skew", "acme", "GPU", "compute_seconds", "4.5",
                Instant.parse("2026-11-22T12:08:00Z"));
        harness.function().handleRequest(KinesisEvents.shard("shardId-000000000000", 1)
                .record("acme", early.json()).record("acme", "[1,2]").build(), null);
        assertEquals(Map.of(), harness.aggregates());
        Clock later = Clock.fixed(Instant.parse("2026-11-22T12:10:00Z"), ZoneOffset.UTC);

        Map<String, Object> listed = replayer(later).handleRequest(Map.of("day", "2026-11-22", "dryRun", true), null);
        Map<String, Object> replayed = replayer(later).handleRequest(Map.of("day", "2026-11-22"), null);
        Map<String, Object> again = replayer(later).handleRequest(Map.of("day", "2026-11-22"), null);

        assertEquals(3, listed.get("listed"));
        assertEquals(1, replayed.get("replayed"));
        assertEquals(2, ((List<?>) replayed.get("stillRejected")).size());
        assertEquals(0, again.get("replayed"));
        assertEquals(IngestHarness.oracle(List.of(early)), harness.aggregates());
        assertEquals(2, harness.rejects().size());
    }

    @Test
    void replay_whenRequestIsMalformed_answersWithUsage() {
        Map<String, Object> answer = replayer(IngestHarness.CLOCK).handleRequest(Map.of("day", "22/11/2026"), null);
        assertEquals(true, answer.containsKey("error"));
    }
}
