package com.poolhub.metering.aws.dynamodb.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The opt-in stricter deduplication: one count per (source, id) within the window, whatever its time. */
class GlobalDedupeTest {
    private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    private final Map<Table, String> tables = LocalDynamo.freshTables();
    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final MutableClock clock = new MutableClock(NOW);

    private IngestPipeline<UsageEvent, UsageKey> pipeline(Duration window) {
        return new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 4).withLedger(LedgerSettings.immediate().withGlobalDedupeWindow(window))
                .pipeline(dynamo, clock);
    }

    private static KinesisEvent batch(long sequence, String... events) {
        KinesisEvents builder = KinesisEvents.shard("shardId-000000000000", sequence);
        for (String event : events) {
            builder.record("p", event);
        }
        return builder.build();
    }

    private long countedEvents() {
        long events = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(tables.get(Table.USAGE))
                .consistentRead(true)).items()) {
            if (!LedgerLayout.isLedger(item.get("pk").s())) {
                events += Long.parseLong(item.get("events").n());
            }
        }
        return events;
    }

    private List<String> rejectReasons() {
        List<String> reasons = new ArrayList<>();
        dynamo.scanPaginator(b -> b.tableName(tables.get(Table.REJECTS))).items()
                .forEach(item -> reasons.add(item.get("reasonCode").s() + ": " + item.get("reason").s()));
        return reasons;
    }

    @Test
    void strictMode_countsAReStampedResendOnce_andKeepsTheConflictNamingTheFirst() {
        IngestPipeline<UsageEvent, UsageKey> pipeline = pipeline(Duration.ofHours(24));
        String original = UsageEventJson.gpuSeconds("e-1", "acme", "5", NOW.minusSeconds(3600));
        String restamped = UsageEventJson.gpuSeconds("e-1", "acme", "5", NOW.minusSeconds(60));

        IngestReport first = pipeline.process(KinesisBatch.records(batch(1, original, original)));
        IngestReport second = pipeline.process(KinesisBatch.records(batch(10, restamped, original)));

        assertEquals(1, first.eventsApplied());
        assertEquals(0, second.eventsApplied());
        assertEquals(1, second.duplicates(), "the plain resend is the same event: a duplicate, not a conflict");
        assertEquals(1, second.rejected());
        assertEquals(1, countedEvents());
        List<String> reasons = rejectReasons();
        assertEquals(1, reasons.size());
        assertTrue(reasons.get(0).startsWith("DUPLICATE_ID_CONFLICT"), reasons.get(0));
        assertTrue(reasons.get(0).contains("2026-11-22T11:00:00Z"), "names the first: " + reasons.get(0));
    }

    @Test
    void defaultMode_countsTheReStampedEventInItsOwnMinute() {
        IngestPipeline<UsageEvent, UsageKey> pipeline = pipeline(Duration.ZERO);
        pipeline.process(KinesisBatch.records(batch(1, UsageEventJson.gpuSeconds("e-1", "acme", "5", NOW.minusSeconds(3600)))));
        pipeline.process(KinesisBatch.records(batch(10, UsageEventJson.gpuSeconds("e-1", "acme", "5", NOW.minusSeconds(60)))));
        assertEquals(2, countedEvents());
        assertEquals(List.of(), rejectReasons());
    }

    @Test
    void strictMode_anIdReusedAfterTheWindow_isCountedAgain() {
        IngestPipeline<UsageEvent, UsageKey> pipeline = pipeline(Duration.ofHours(1));
        pipeline.process(KinesisBatch.records(batch(1, UsageEventJson.gpuSeconds("e-1", "acme", "5", NOW.minusSeconds(30)))));
        clock.advance(Duration.ofMinutes(61));
        IngestReport later = pipeline.process(KinesisBatch.records(batch(10,
                UsageEventJson.gpuSeconds("e-1", "acme", "7", NOW.plusSeconds(3600)))));
        assertEquals(1, later.eventsApplied());
        assertEquals(2, countedEvents());
    }
}
