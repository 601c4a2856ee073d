package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.local.DynamoDbFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Exactly-once counting under at-least-once delivery, against the local DynamoDB emulator: every scenario ends
 * with the stored aggregates equal to an oracle computed from the distinct events alone.
 */
class UsageIngestExactlyOnceTest {
    private static final Instant T = Instant.parse("2026-11-22T11:58:30Z");

    private final IngestHarness harness = new IngestHarness();

    private static List<SentEvent> events(String prefix, int n, Random random) {
        List<SentEvent> events = new ArrayList<>();
        String[] tenants = {"acme", "globex", "initech"};
        String[][] resources = {{"GPU", "compute_seconds"}, {"CPU", "compute_seconds"}, {"INFERENCE", "tokens"},
                {"NETWORK", "gb"}};
        for (int i = 0; i < n; i++) {
            String[] resource = resources[random.nextInt(resources.length)];
            String quantity = random.nextInt(1000) + "." + String.format("%09d", random.nextInt(1_000_000_000));
            events.add(new SentEvent("//nodes/gpu-node-" + random.nextInt(4), prefix + i,
                    tenants[random.nextInt(tenants.length)], resource[0], resource[1], quantity,
                    T.minusSeconds(random.nextInt(600))));
        }
        return events;
    }

    private static KinesisEvent batch(String shard, long firstSequence, List<SentEvent> events) {
        KinesisEvents builder = KinesisEvents.shard(shard, firstSequence);
        events.forEach(e -> builder.record(e.tenant(), e.json()));
        return builder.build();
    }

    @Test
    void handle_whenSameBatchDeliveredTwice_countsEachEventOnce() {
        List<SentEvent> sent = events("a-", 200, new Random(1));
        KinesisEvent batch = batch("shardId-000000000000", 1, sent);
        UsageIngestFunction function = harness.function();

        assertTrue(function.handleRequest(batch, null).getBatchItemFailures().isEmpty());
        assertTrue(function.handleRequest(batch, null).getBatchItemFailures().isEmpty());

        assertEquals(IngestHarness.oracle(sent), harness.aggregates());
    }

    @Test
    void handle_whenProducerResendsInLaterBatchOnAnotherShard_countsItOnce() {
        List<SentEvent> first = events("b-", 100, new Random(2));
        List<SentEvent> second = new ArrayList<>(events("c-", 50, new Random(3)));
        second.addAll(first.subList(10, 30));
        UsageIngestFunction function = harness.function();

        function.handleRequest(batch("shardId-000000000000", 1, first), null);
        function.handleRequest(batch("shardId-000000000001", 1, second), null);

        List<SentEvent> all = new ArrayList<>(first);
        all.addAll(second);
        assertEquals(IngestHarness.oracle(all), harness.aggregates());
    }

    @Test
    void handle_whenFunctionDiesBetweenWrites_redeliveryCountsEachEventOnce() {
        List<SentEvent> sent = events("d-", 300, new Random(4));
        KinesisEvent batch = batch("shardId-000000000000", 1, sent);
        CrashAfter crash = new CrashAfter("UpdateItem", 5);
        UsageIngestFunction dying = harness.function(LocalDynamo.client(crash));

        assertThrows(RuntimeException.class, () -> dying.handleRequest(batch, null));
        assertTrue(crash.passed.get() >= 5, "some aggregates were written before the crash");
        assertFalse(harness.aggregates().isEmpty());

        StreamsEventResponse retry = harness.function().handleRequest(batch, null);

        assertTrue(retry.getBatchItemFailures().isEmpty());
        assertEquals(IngestHarness.oracle(sent), harness.aggregates());
    }

    @Test
    void handle_whenWritesThrottledPastRetries_reportsFailuresAndResumeCountsOnce() {
        List<SentEvent> sent = events("e-", 120, new Random(5));
        KinesisEvent batch = batch("shardId-000000000000", 1, sent);
        try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(LocalAws.dynamoDbEndpoint())) {
            UsageIngestFunction function = harness.function(LocalAws.dynamoDb(proxy.endpoint()));
            proxy.failAlways("TransactWriteItems", DynamoDbFaultProxy.Failure.THROTTLE);

            StreamsEventResponse throttled = function.handleRequest(batch, null);

            assertFalse(throttled.getBatchItemFailures().isEmpty());
            assertTrue(harness.aggregates().isEmpty(), "nothing counted while every write is throttled");
            proxy.heal();
            StreamsEventResponse resumed = function.handleRequest(IngestHarness.resumeFrom(batch, throttled), null);

            assertTrue(resumed.getBatchItemFailures().isEmpty());
            assertEquals(IngestHarness.oracle(sent), harness.aggregates());
        }
    }

    @Test
    void handle_whenThrottlingIsBrief_sdkRetriesAndNothingFails() {
        List<SentEvent> sent = events("f-", 60, new Random(6));
        try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(LocalAws.dynamoDbEndpoint())) {
            UsageIngestFunction function = harness.function(LocalAws.dynamoDb(proxy.endpoint()));
            proxy.failNext("TransactWriteItems", 3, DynamoDbFaultProxy.Failure.THROTTLE);
            proxy.failNext("Query", 1, DynamoDbFaultProxy.Failure.INTERNAL_ERROR);

            StreamsEventResponse response = function.handleRequest(batch("shardId-000000000000", 1, sent), null);

            assertTrue(response.getBatchItemFailures().isEmpty());
            assertEquals(3, proxy.injected("TransactWriteItems"));
            assertEquals(IngestHarness.oracle(sent), harness.aggregates());
        }
    }

    @Test
    void handle_randomRedeliveriesCrashesAndResends_alwaysEqualOracle() {
        Random random = new Random(42);
        List<SentEvent> produced = new ArrayList<>();
        List<KinesisEvent> delivered = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            List<SentEvent> batchEvents = new ArrayList<>(events("r" + b + "-", 40 + random.nextInt(60), random));
            for (int i = 0; i < 5 && !produced.isEmpty(); i++) {
                batchEvents.add(produced.get(random.nextInt(produced.size())));
            }
            produced.addAll(batchEvents);
            KinesisEvent batch = batch("shardId-00000000000" + (b % 3), 1000L * b, batchEvents);
            delivered.add(batch);
            if (random.nextBoolean()) {
                CrashAfter crash = new CrashAfter("UpdateItem", random.nextInt(10));
                try {
                    harness.function(LocalDynamo.client(crash)).handleRequest(batch, null);
                } catch (RuntimeException expectedCrash) {
                    // the function died; Lambda redelivers the whole batch below
                }
            }
            harness.function().handleRequest(batch, null);
        }
        for (int i = 0; i < 3; i++) {
            harness.function().handleRequest(delivered.get(random.nextInt(delivered.size())), null);
        }

        assertEquals(IngestHarness.oracle(produced), harness.aggregates());
    }

    /** Simulates the function dying: every call of an operation after the first {@code n} throws. */
    static final class CrashAfter implements ExecutionInterceptor {
        final AtomicInteger passed = new AtomicInteger();
        private final String operation;
        private final int n;

        CrashAfter(String operation, int n) {
            this.operation = operation;
            this.n = n;
        }

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                    && passed.getAndIncrement() >= n) {
                throw new IllegalStateException("simulated crash: the container died here");
            }
        }
    }
}
