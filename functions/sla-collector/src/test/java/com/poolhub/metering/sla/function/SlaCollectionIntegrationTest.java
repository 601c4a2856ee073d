package com.poolhub.metering.sla.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.EventBridgeFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.sla.CollectionResult;
import com.poolhub.metering.sla.MinerMetrics;
import com.poolhub.metering.sla.PoolMetrics;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaSettings;
import com.poolhub.metering.sla.SlaThresholds;
import com.poolhub.metering.sla.SlaWindow;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * A scripted pool goes through telemetry ingestion (shuffled, in batches) into the DynamoDB emulator, and
 * an SLA collection must give exactly the figures a naive oracle computes over the raw events.
 */
class SlaCollectionIntegrationTest {
    static final Instant END = Instant.parse("2026-11-22T12:00:00Z");
    static final Instant START = END.minus(Duration.ofHours(24));
    static final Clock CLOCK = Clock.fixed(END.plusSeconds(30), ZoneOffset.UTC);
    static final List<String> MINERS = List.of("steady", "flaky", "leaving", "gone", "matcher");

    static EventBridgeFaultProxy bus;
    static String busName;
    static BusSubscription events;
    static EventBridgeClient eventBridge;
    static ScriptedPool pool;
    static String telemetryTable;

    @BeforeAll
    static void start() {
        bus = EventBridgeFaultProxy.start();
        eventBridge = LocalAws.eventBridge(bus.endpoint());
        busName = BusSubscription.freshBus("sla-violations");
        events = BusSubscription.toDetailType(busName, "SlaViolationDetected");
        pool = new ScriptedPool(START, END);
        telemetryTable = ingestedPool(LocalDynamo.client()).get(Table.TELEMETRY);
    }

    @AfterAll
    static void stop() {
        eventBridge.close();
        events.close();
        bus.close();
    }

    static Map<Table, String> ingestedPool(DynamoDbClient dynamo) {
        Map<Table, String> tables = LocalDynamo.freshTables();
        var ingestion = new TelemetryIngestion(tables.get(Table.TELEMETRY), tables.get(Table.REJECTS), new BucketGrid(60),
                Duration.ofDays(35), Duration.ofDays(35), 4);
        var pipeline = ingestion.pipeline(dynamo, CLOCK);
        List<ObjectNode> shuffled = new ArrayList<>(pool.events);
        Collections.shuffle(shuffled, new Random(7));
        long applied = 0;
        int perRecord = 50;
        int perBatch = 100;
        for (int from = 0; from < shuffled.size(); from += perRecord * perBatch) {
            KinesisEvents batch = KinesisEvents.shard("shardId-000000000000", from);
            for (int r = from; r < Math.min(shuffled.size(), from + perRecord * perBatch); r += perRecord) {
                ArrayNode array = Json.mapper().createArrayNode();
                shuffled.subList(r, Math.min(shuffled.size(), r + perRecord)).forEach(array::add);
                batch.record("p", array.toString());
            }
            IngestReport report = pipeline.process(KinesisBatch.records(batch.build()));
            assertEquals(List.of(), report.failedSequenceNumbers());
            assertEquals(0, report.rejected());
            applied += report.eventsApplied();
        }
        assertEquals(pool.events.size(), applied);
        return tables;
    }

    SlaCollector collector(DynamoDbClient dynamo, Map<Table, String> tables) {
        return collection(tables).collector(dynamo, new EventBridgePublisher(eventBridge, busName), CLOCK);
    }

    SlaCollection collection(Map<Table, String> tables) {
        return new SlaCollection(telemetryTable, tables.get(Table.SLA), new BucketGrid(60), Duration.ofDays(35),
                SlaThresholds.DEFAULTS, SlaSettings.DEFAULTS);
    }

    SlaCollectorFunction function(DynamoDbClient dynamo, Map<Table, String> tables) {
        return new SlaCollectorFunction(collector(dynamo, tables),
                collection(tables).requests(dynamo, new EventBridgePublisher(eventBridge, busName), CLOCK),
                folder(dynamo, tables));
    }

    @Test
    void collect_scriptedPool_givesExactlyTheContractFigures() {
        DynamoDbClient dynamo = LocalDynamo.client();
        Map<Table, String> tables = LocalDynamo.freshTables();
        SlaCollector collector = collector(dynamo, tables);
        events.clear();

        CollectionResult result = collector.collect();

        NaiveSlaOracle oracle = new NaiveSlaOracle(pool.raw, 60, START, END);
        assertEquals(new SlaWindow(START, END), result.window());
        assertEquals(MINERS.size(), result.miners());
        Map<String, MinerMetrics> byMiner = new HashMap<>();
        collector.evaluate(MINERS.stream().map(m -> collectorMiner(collector, m)).toList(), result.window())
                .forEach(m -> byMiner.put(m.minerId(), m));
        for (String miner : MINERS) {
            MinerMetrics m = byMiner.get(miner);
            assertEquals(oracle.uptime(miner), m.uptimePct(), miner + " uptime");
            assertEquals(oracle.meanMs(miner), m.responseMeanMs(), miner + " mean");
            assertEquals(oracle.percentileMs(miner, 95), m.responseP95Ms(), miner + " p95");
            assertEquals(oracle.percentileMs(miner, 99), m.responseP99Ms(), miner + " p99");
            assertEquals(oracle.completion(miner), m.completionPct(), miner + " completion");
        }
        assertNull(byMiner.get("matcher").uptimePct());
        assertEquals(new BigDecimal("0.000"), byMiner.get("gone").uptimePct());
        assertEquals(oracle.capacity(MINERS), result.pool().capacityAvailabilityPct());
        assertEquals(oracle.utilisation(MINERS), result.pool().utilisationPct());

        Set<String> expected = new HashSet<>();
        for (String miner : MINERS) {
            if (oracle.uptime(miner) != null && oracle.uptime(miner).compareTo(new BigDecimal("95")) < 0) {
                expected.add(miner + "/UPTIME");
            }
            if (oracle.meanMs(miner) != null && oracle.meanMs(miner).compareTo(new BigDecimal("1000")) > 0) {
                expected.add(miner + "/RESPONSE_TIME");
            }
            if (oracle.completion(miner) != null && oracle.completion(miner).compareTo(new BigDecimal("90")) < 0) {
                expected.add(miner + "/COMPLETION_RATE");
            }
        }
        if (oracle.capacity(MINERS).compareTo(new BigDecimal("80")) < 0) {
            expected.add("pool/CAPACITY");
        }
        assertTrue(expected.containsAll(Set.of("flaky/RESPONSE_TIME", "flaky/COMPLETION_RATE", "leaving/UPTIME", "gone/UPTIME")),
                "the script must produce these violations: " + expected);
        Set<String> published = new HashSet<>();
        events.received("SlaViolationDetected").forEach(e -> published.add(
                (e.detail().get("minerId").isNull() ? "pool" : e.detail().get("minerId").asText()) + "/" + e.detail().get("metric").asText()));
        assertEquals(expected, published);
        assertEquals(expected.size(), result.newViolations());

        CollectionResult again = collector.collect();
        assertEquals(0, again.newViolations());
        assertEquals(expected.size(), events.received("SlaViolationDetected").size());
    }

    @Test
    void pool_forAWindowEndingSecondsIntoABucketWithNoHeartbeatYet_usesTheLastCompleteBucket() {
        DynamoDbClient dynamo = LocalDynamo.client();
        SlaCollector collector = collector(dynamo, LocalDynamo.freshTables());
        NaiveSlaOracle oracle = new NaiveSlaOracle(pool.raw, 60, START, END);
        PoolMetrics complete = collector.pool(new SlaWindow(START, END));

        PoolMetrics midBucket = collector.pool(new SlaWindow(START, CLOCK.instant()));

        assertTrue(complete.minersUp() > 0, "the script must leave miners up in the last bucket");
        assertNotNull(oracle.utilisation(MINERS));
        assertEquals(complete.minersUp(), midBucket.minersUp());
        assertEquals(complete.gpusUp(), midBucket.gpusUp());
        assertEquals(oracle.utilisation(MINERS), midBucket.utilisationPct());
        assertEquals(oracle.capacity(MINERS), midBucket.capacityAvailabilityPct());
        assertEquals(complete.knownGpuBuckets(), midBucket.knownGpuBuckets());
        MinerMetrics steady = collector.evaluate(collectorMiner(collector, "steady"), new SlaWindow(START, CLOCK.instant()));
        assertEquals(oracle.uptime("steady"), steady.uptimePct());
    }

    @Test
    void collect_whenEventBridgeRejectsEntries_keepsViolationsPendingAndPublishesThemNextRun() {
        DynamoDbClient dynamo = LocalDynamo.client();
        Map<Table, String> tables = LocalDynamo.freshTables();
        SlaCollector collector = collector(dynamo, tables);
        events.clear();
        bus.failNextEntries(1000);

        CollectionResult failed = collector.collect();
        assertTrue(failed.publishFailed() > 0);
        assertEquals(0, events.received("SlaViolationDetected").size());

        bus.failNextEntries(0);
        CollectionResult retried = collector.collect();
        assertEquals(0, retried.publishFailed());
        assertEquals(failed.violations(), events.received("SlaViolationDetected").size());
    }

    @Test
    void handler_onTheScheduledSampleEvent_returnsTheCollectionCounts() {
        DynamoDbClient dynamo = LocalDynamo.client();
        Map<Table, String> tables = LocalDynamo.freshTables();
        SlaCollectorFunction function = function(dynamo, tables);
        bus.failNextEntries(0);

        com.fasterxml.jackson.databind.node.ObjectNode summary = function.handleRequest(
                com.amazonaws.services.lambda.runtime.tests.EventLoader.loadScheduledEvent("../../events/sla-collector-scheduled.json"),
                null);

        assertEquals(MINERS.size(), summary.get("miners").asInt());
        assertEquals("2026-11-22T12:00:00Z", summary.get("windowEnd").asText());
        assertEquals(0, summary.get("eventsUnpublished").asInt());
        assertTrue(summary.get("violations").asInt() >= 4);
    }

    @Test
    void handler_whenEventsStayUnpublished_failsTheInvocationAfterStoringEverything() {
        DynamoDbClient dynamo = LocalDynamo.client();
        Map<Table, String> tables = LocalDynamo.freshTables();
        SlaCollectorFunction function = function(dynamo, tables);
        bus.failNextEntries(1000);
        try {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> function.handleRequest(
                    new com.amazonaws.services.lambda.runtime.events.ScheduledEvent(), null));
        } finally {
            bus.failNextEntries(0);
        }
        assertTrue(collector(dynamo, tables).collect().published() >= 4);
    }

    private static com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder<?, ?> folder(DynamoDbClient dynamo,
                                                                                   Map<Table, String> tables) {
        return TelemetryIngestion.folder(dynamo, tables.get(Table.TELEMETRY), new BucketGrid(60), Duration.ofDays(35),
                com.poolhub.metering.aws.Workers.pool(2, "test-folder"));
    }

    private static com.poolhub.metering.sla.RegisteredMiner collectorMiner(SlaCollector collector, String miner) {
        return collector.registeredMiner(miner).orElseThrow();
    }
}
