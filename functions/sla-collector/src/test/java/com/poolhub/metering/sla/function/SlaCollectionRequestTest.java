package com.poolhub.metering.sla.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.EventBridgeFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.sla.CollectionRequest;
import com.poolhub.metering.sla.CollectionStatus;
import com.poolhub.metering.sla.SlaCollectionRequests;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaRepository;
import com.poolhub.metering.sla.SlaSettings;
import com.poolhub.metering.sla.SlaThresholds;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.TelemetryEventJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Collections on request against the DynamoDB and EventBridge emulators: the request is recorded
 * and announced, the collector function runs it on the event it was announced with, marks it
 * SUCCEEDED with the counts or FAILED with the reason, runs nothing twice on a redelivery, and takes
 * over a claim whose lease lapsed.
 */
class SlaCollectionRequestTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:30Z");
    static final List<String> MINERS = List.of("gpu-miner-7", "gpu-miner-8", "gpu-miner-9");
    static EventBridgeFaultProxy bus;
    static String busName;
    static BusSubscription events;
    static EventBridgeClient eventBridge;
    static DynamoDbClient dynamo;

    MutableClock clock;
    Map<Table, String> tables;
    SlaCollector collector;
    SlaCollectionRequests requests;
    SlaRepository repository;
    SlaCollectorFunction function;

    @BeforeAll
    static void start() {
        bus = EventBridgeFaultProxy.start();
        eventBridge = LocalAws.eventBridge(bus.endpoint());
        busName = BusSubscription.freshBus("sla-requests");
        events = BusSubscription.toDetailType(busName, SlaCollectionRequests.REQUESTED_EVENT);
        dynamo = LocalDynamo.client();
    }

    @AfterAll
    static void stop() {
        eventBridge.close();
        events.close();
        bus.close();
    }

    @BeforeEach
    void ingestedPool() {
        clock = new MutableClock(NOW);
        tables = LocalDynamo.freshTables();
        var ingestion = new TelemetryIngestion(tables.get(Table.TELEMETRY), tables.get(Table.REJECTS), new BucketGrid(60),
                Duration.ofDays(35), Duration.ofDays(35), 4);
        KinesisEvents batch = KinesisEvents.shard("shardId-000000000000", 1);
        Instant start = Instant.parse("2026-11-22T10:00:00Z");
        for (String miner : MINERS) {
            for (int minute = 0; minute < 120; minute++) {
                batch.record(miner, TelemetryEventJson.heartbeat(miner + "-" + minute, miner,
                        start.plusSeconds(minute * 60L + 5), "ONLINE", 4, 1).toString());
            }
        }
        ingestion.pipeline(dynamo, clock).process(KinesisBatch.records(batch.build()));
        SlaCollection collection = collection(tables.get(Table.SLA));
        EventBridgePublisher publisher = new EventBridgePublisher(eventBridge, busName);
        collector = collection.collector(dynamo, publisher, clock);
        requests = collection.requests(dynamo, publisher, clock);
        repository = collection.repository(dynamo);
        function = new SlaCollectorFunction(collector, requests, folder());
        events.clear();
        bus.failNextEntries(0);
    }

    private SlaCollection collection(String slaTable) {
        return new SlaCollection(tables.get(Table.TELEMETRY), slaTable, new BucketGrid(60), Duration.ofDays(35),
                SlaThresholds.DEFAULTS, SlaSettings.DEFAULTS);
    }

    private com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder<?, ?> folder() {
        return TelemetryIngestion.folder(dynamo, tables.get(Table.TELEMETRY), new BucketGrid(60), Duration.ofDays(35),
                Workers.pool(2, "test-folder"));
    }

    /** The event EventBridge delivers for the request's announcement, as the rule's subscriber received it. */
    private static ScheduledEvent delivered(String id) {
        BusSubscription.Event entry = events.received(SlaCollectionRequests.REQUESTED_EVENT).stream()
                .filter(e -> e.detail().get("collectionId").asText().equals(id)).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> detail = Json.mapper().convertValue(entry.detail(), Map.class);
        return new ScheduledEvent().withId(entry.id()).withSource(entry.source()).withDetailType(entry.detailType()).withDetail(detail);
    }

    private CollectionRequest stored(String id) {
        return requests.find(id).orElseThrow();
    }

    @Test
    void requestedEvent_runsTheCollection_fromRequestedThroughRunningToSucceededWithTheCounts() {
        CollectionRequest request = requests.request(collector.defaultWindow(), "ops");
        assertEquals(CollectionStatus.REQUESTED, stored(request.id()).status());
        assertEquals(0, stored(request.id()).attempts());
        assertEquals("poolhub", events.received(SlaCollectionRequests.REQUESTED_EVENT).get(0).source());
        AtomicInteger runs = new AtomicInteger();

        requests.run(request.id(), window -> {
            CollectionRequest running = stored(request.id());
            assertEquals(CollectionStatus.RUNNING, running.status());
            assertEquals(NOW.plus(SlaCollectionRequests.LEASE), running.leaseUntil());
            assertEquals(request.window(), window);
            runs.incrementAndGet();
            return collector.collect(window);
        });

        CollectionRequest done = stored(request.id());
        assertEquals(1, runs.get());
        assertEquals(CollectionStatus.SUCCEEDED, done.status());
        assertEquals(MINERS.size(), done.result().get("miners").asLong());
        assertEquals("2026-11-22T12:00:00Z", done.result().get("collectedAt").asText());
        assertEquals(0, done.result().get("eventsUnpublished").asLong());
        assertNotNull(done.finishedAt());
        assertNull(done.leaseUntil());
        assertNull(done.reason());
    }

    @Test
    void handler_onTheRequestedEvent_collectsOnce_andARedeliveryRunsNothing() {
        CollectionRequest request = requests.request(collector.defaultWindow(), "ops");

        ObjectNode first = function.handleRequest(delivered(request.id()), null);
        ObjectNode again = function.handleRequest(delivered(request.id()), null);

        assertEquals("SUCCEEDED", first.get("status").asText());
        assertEquals(MINERS.size(), first.at("/result/miners").asLong());
        assertEquals("SUCCEEDED", again.get("status").asText());
        assertEquals(first.get("result"), again.get("result"));
        assertEquals(1, stored(request.id()).attempts(), "the redelivery claimed nothing");
        AtomicInteger runs = new AtomicInteger();
        requests.run(request.id(), window -> {
            runs.incrementAndGet();
            return collector.collect(window);
        });
        assertEquals(0, runs.get());
    }

    @Test
    void handler_whenTheCollectionFails_marksTheRequestFailedWithTheReason_andARedeliveryDoesNotRetryIt() {
        CollectionRequest request = requests.request(collector.defaultWindow(), "ops");
        SlaCollector broken = collection("no-such-table").collector(dynamo, new EventBridgePublisher(eventBridge, busName),
                clock);
        SlaCollectorFunction failing = new SlaCollectorFunction(broken, requests, folder());

        assertThrows(RuntimeException.class, () -> failing.handleRequest(delivered(request.id()), null));

        CollectionRequest failed = stored(request.id());
        assertEquals(CollectionStatus.FAILED, failed.status());
        assertTrue(failed.reason().contains("ResourceNotFoundException"), failed.reason());
        assertNull(failed.result());
        ObjectNode redelivered = function.handleRequest(delivered(request.id()), null);
        assertEquals("FAILED", redelivered.get("status").asText());
        assertEquals(1, stored(request.id()).attempts());
    }

    @Test
    void injectedFailure_isRecordedAsTheReason() {
        CollectionRequest request = requests.request(collector.defaultWindow(), "ops");

        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> requests.run(request.id(), window -> {
            throw new IllegalStateException("telemetry unreadable");
        }));

        assertEquals("telemetry unreadable", thrown.getMessage());
        assertEquals("IllegalStateException: telemetry unreadable", stored(request.id()).reason());
        assertEquals(CollectionStatus.FAILED, stored(request.id()).status());
    }

    @Test
    void aClaimLeftByACrashedRun_holdsUntilItsLeaseLapses_thenARedeliveryTakesItOver() {
        CollectionRequest request = requests.request(collector.defaultWindow(), "ops");
        assertEquals(1, repository.claimCollectionRequest(request.id(), clock.instant(),
                clock.instant().plus(SlaCollectionRequests.LEASE)).getAsInt()); // the run that crashed

        clock.advance(SlaCollectionRequests.LEASE.minusSeconds(1));
        ObjectNode whileHeld = function.handleRequest(delivered(request.id()), null);
        assertEquals("RUNNING", whileHeld.get("status").asText());
        assertEquals(1, stored(request.id()).attempts());

        clock.advance(Duration.ofSeconds(1));
        ObjectNode takenOver = function.handleRequest(delivered(request.id()), null);
        assertEquals("SUCCEEDED", takenOver.get("status").asText());
        assertEquals(MINERS.size(), takenOver.at("/result/miners").asLong());
        assertEquals(2, stored(request.id()).attempts());
        assertFalse(repository.finishCollectionRequest(request.id(), 1, CollectionStatus.FAILED, null, "late",
                clock.instant()), "the crashed run's claim no longer counts");
        assertEquals(CollectionStatus.SUCCEEDED, stored(request.id()).status());
    }

    @Test
    void handler_whenViolationEventsStayUnpublished_marksTheRequestSucceeded_andStillFailsTheInvocation() {
        CollectionRequest request = requests.request(collector.defaultWindow(), "ops");
        ScheduledEvent event = delivered(request.id());
        bus.failNextEntries(1000);
        try {
            assertThrows(IllegalStateException.class, () -> function.handleRequest(event, null));
        } finally {
            bus.failNextEntries(0);
        }
        CollectionRequest done = stored(request.id());
        assertEquals(CollectionStatus.SUCCEEDED, done.status());
        assertTrue(done.result().get("eventsUnpublished").asLong() > 0, done.result().toString());
    }

    @Test
    void sampleRequestedEvent_isReadAsARequest_andAnUnknownIdRunsNothing() {
        ObjectNode answer = function.handleRequest(
                EventLoader.loadScheduledEvent("../../events/sla-collector-collection-requested.json"), null);

        assertEquals("5f0c6b8e-3d2a-4c1b-9e7f-2a6d8c4b1e90", answer.get("collectionId").asText());
        assertTrue(answer.get("status").isNull());
        assertTrue(repository.latestCollection().isEmpty(), "nothing was collected");
    }
}
