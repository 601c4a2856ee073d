package com.poolhub.metering.telemetry.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.TelemetryEventJson;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class TelemetryFunctionTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    static final Instant HOUR = Instant.parse("2026-11-22T11:00:00Z");

    static DynamoDbClient dynamo;
    static Map<Table, String> tables;
    static TelemetryIngestion ingestion;
    static TelemetryFunction function;

    /** One set of tables for the class; each test uses its own miners. */
    @BeforeAll
    static void setUp() {
        dynamo = LocalDynamo.client();
        tables = LocalDynamo.freshTables();
        ingestion = new TelemetryIngestion(tables.get(Table.TELEMETRY), tables.get(Table.REJECTS), new BucketGrid(60),
                Duration.ofDays(35), Duration.ofDays(35), 4);
        function = new TelemetryFunction(ingestion.pipeline(dynamo, CLOCK));
    }

    Map<String, AttributeValue> hourItem(String miner) {
        return dynamo.getItem(b -> b.tableName(tables.get(Table.TELEMETRY)).consistentRead(true).key(Map.of(
                "pk", AttributeValue.fromS(MinerHourCodec.partition(miner)),
                "sk", AttributeValue.fromS(MinerHourCodec.sortKey(HOUR))))).item();
    }

    MinerHour hour(String miner) {
        return ingestion.codec().decode(hourItem(miner));
    }

    /** The rejects of records with this partition key. */
    List<RejectedRecord> rejects(String partitionKey) {
        RejectStore store = new DynamoRejectStore(dynamo, tables.get(Table.REJECTS), Duration.ofDays(35));
        return store.list(TelemetryIngestion.STREAM, LocalDate.of(2026, 11, 22), 1000, null).items().stream()
                .filter(r -> r.partitionKey().equals(partitionKey)).toList();
    }

    @Test
    void sampleEvent_countsEachEventAndKeepsTheBadHeartbeatWithItsReason() {
        KinesisEvent event = EventLoader.loadKinesisEvent("../../events/telemetry-kinesis.json");

        StreamsEventResponse response = function.handleRequest(event, null);

        assertEquals(0, response.getBatchItemFailures().size());
        MinerHour hour = hour("gpu-miner-7");
        long firstBucket = new BucketGrid(60).bucketOf(HOUR);
        assertTrue(hour.isUp(firstBucket + 58));
        assertTrue(hour.isUp(firstBucket + 59));
        assertEquals(1, hour.responses().count());
        assertEquals(new BigDecimal("240.500"), hour.responses().meanMs());
        assertEquals(1, hour.succeeded());
        assertEquals(0, hour.readings().get(59).gpusFree());
        List<RejectedRecord> rejects = rejects("gpu-miner-9");
        assertEquals(1, rejects.size());
        assertEquals("INVALID_GPUS_FREE", rejects.get(0).rejection().code());
    }

    @Test
    void sameBatchTwice_andDuplicateInLaterBatch_changeNothing() {
        Instant t = HOUR.plusSeconds(600);
        KinesisEvents batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("m1", TelemetryEventJson.heartbeat("a", "m1", t, "ONLINE", 4, 1).toString())
                .record("m1", TelemetryEventJson.heartbeat("b", "m1", t.plusSeconds(60), "OFFLINE", 4, 4).toString())
                .record("m1", TelemetryEventJson.match("c", "m1", t, "j1", "120").toString())
                .record("m1", TelemetryEventJson.job("d", "m1", t, "j1", "FAILED").toString());
        function.handleRequest(batch.build(), null);
        Map<String, AttributeValue> once = hourItem("m1");

        function.handleRequest(batch.build(), null);
        KinesisEvents later = KinesisEvents.shard("shardId-000000000000", 10)
                .record("m1", TelemetryEventJson.match("c", "m1", t, "j1", "120").toString())
                .record("m1", TelemetryEventJson.job("d", "m1", t, "j1", "FAILED").toString());
        StreamsEventResponse response = function.handleRequest(later.build(), null);

        assertEquals(0, response.getBatchItemFailures().size());
        assertEquals(once, hourItem("m1"));
        MinerHour hour = hour("m1");
        assertEquals(1, hour.responses().count());
        assertEquals(1, hour.failed());
        assertEquals(1, hour.up().cardinality());
        assertEquals(2, hour.seen().cardinality());
    }

    @Test
    void outOfOrderHeartbeatsInOneBucket_keepTheLatestByEventTime() {
        Instant t = HOUR.plusSeconds(120);
        function.handleRequest(KinesisEvents.shard("shardId-000000000000", 1)
                .record("m2", TelemetryEventJson.heartbeat("late", "m2", t.plusSeconds(40), "ONLINE", 6, 2).toString())
                .build(), null);
        function.handleRequest(KinesisEvents.shard("shardId-000000000000", 2)
                .record("m2", TelemetryEventJson.heartbeat("early", "m2", t.plusSeconds(5), "ONLINE", 8, 8).toString())
                .build(), null);

        MinerHour hour = hour("m2");
        assertEquals(6, hour.readings().get(2).gpus());
        assertEquals(2, hour.readings().get(2).gpusFree());
    }

    @Test
    void badTelemetry_isKeptWithReasons_andTheRestOfTheBatchIsCounted() {
        Instant t = HOUR.plusSeconds(60);
        KinesisEvents batch = KinesisEvents.shard("shardId-000000000000", 1)
                .record("m3", "{not json")
                .record("m3", TelemetryEventJson.heartbeat("s", "m3", t, "SLEEPING", 4, 1).toString())
                .record("m3", TelemetryEventJson.match("r", "m3", t, "j", "-5").toString())
                .record("m3", TelemetryEventJson.job("o", "m3", t, "j", "LOST").toString())
                .record("m3", TelemetryEventJson.heartbeat("old", "m3", t.minus(Duration.ofDays(40)), "ONLINE", 4, 1).toString())
                .record("m3", TelemetryEventJson.heartbeat("ok", "m3", t, "ONLINE", 4, 1).toString());

        StreamsEventResponse response = function.handleRequest(batch.build(), null);

        assertEquals(0, response.getBatchItemFailures().size());
        Set<String> codes = rejects("m3").stream().map(r -> r.rejection().code()).collect(Collectors.toSet());
        assertTrue(codes.containsAll(Set.of("INVALID_STATUS", "INVALID_RESPONSE_MS", "INVALID_OUTCOME", "TOO_LATE")), codes.toString());
        assertEquals(5, rejects("m3").size());
        assertTrue(hour("m3").isUp(new BucketGrid(60).bucketOf(t)));
    }
}
