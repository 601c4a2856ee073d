package com.poolhub.metering.hardening.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.poolhub.metering.hardening.fuzz.StreamTargets;
import com.poolhub.metering.hardening.fuzz.StreamTargets.StreamTarget;
import com.poolhub.metering.hardening.support.InParallel;
import com.poolhub.metering.hardening.support.KillSwitch;
import com.poolhub.metering.hardening.support.LocalStack;
import com.poolhub.metering.hardening.support.TableSnapshot;
import com.poolhub.metering.local.DynamoDbFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Faults on every Kinesis stream on main, each run ending equal to the oracle: the same deliveries
 * handled once without any fault (nothing lost, nothing counted twice). Faults: the function killed at
 * each of its DynamoDB writes in turn and the batch redelivered to a new container; throttling and
 * 500s from DynamoDB mid-batch (through the fault proxy) with Lambda's resume-from-failure; whole
 * batches redelivered and shards interleaved in another order, with producer resends across shards.
 */
class StreamFaultsTest {
    private static final Instant NOW = Instant.parse(LocalStack.NOW);
    private static final int SHARDS = 3;
    private static final int EVENTS_PER_SHARD = 8;

    @TestFactory
    Stream<DynamicTest> killedAtEveryWritePoint_redeliveryEndsEqualToOracle() {
        return StreamTargets.ALL.stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> {
            List<KinesisEvent> deliveries = deliveries(target, new Random(1));
            KillSwitch counter = KillSwitch.counting();
            Map<String, String> oracle = run(target, deliveries, counter);
            int writes = counter.writes();
            assertTrue(writes > 3, "the deliveries write several times");
            List<Integer> points = IntStream.rangeClosed(1, writes).boxed().toList();
            InParallel.forEach(points, k -> killedAtWrite(target, deliveries, oracle, k, writes));
            System.out.printf("stream faults %s: killed at each of %d write points, all equal to the oracle%n",
                    target.name(), writes);
        }));
    }

    /** One run killed at write {@code k}: the dying container, then a fresh one redelivering, against the oracle. */
    private static void killedAtWrite(StreamTarget target, List<KinesisEvent> deliveries, Map<String, String> oracle,
                                      int k, int writes) {
        LocalStack local = LocalStack.fresh();
        KillSwitch kill = KillSwitch.atWrite(k);
        RequestHandler<KinesisEvent, StreamsEventResponse> dying =
                target.handler().apply(local.withClient(LocalDynamo.client(kill)));
        RequestHandler<KinesisEvent, StreamsEventResponse> fresh = target.handler().apply(local);
        boolean died = false;
        for (KinesisEvent batch : deliveries) {
            if (!died) {
                try {
                    StreamsEventResponse response = dying.handleRequest(batch, null);
                    died = kill.killed();
                    if (died) {
                        deliverUntilDone(fresh, batch, response);
                    }
                    continue;
                } catch (RuntimeException crash) {
                    died = true;
                }
            }
            deliverUntilDone(fresh, batch, null);
        }
        assertTrue(kill.killed(), "write " + k + " was reached");
        assertEquals(oracle, TableSnapshot.of(local.dynamo(), local.tables()), "killed at write " + k + " of " + writes);
    }

    @TestFactory
    Stream<DynamicTest> throttlingAndServerErrorsMidBatch_resumeEndsEqualToOracle() {
        List<String> operations = List.of("UpdateItem", "TransactWriteItems", "BatchGetItem", "BatchWriteItem",
                "PutItem", "Query", "GetItem");
        return StreamTargets.ALL.stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> {
            List<KinesisEvent> deliveries = deliveries(target, new Random(2));
            Map<String, String> oracle = run(target, deliveries, KillSwitch.counting());
            AtomicLong injected = new AtomicLong();
            InParallel.forEach(List.of(0, 1, 2, 3), round -> {
                Random random = new Random(100 + round);
                LocalStack local = LocalStack.fresh();
                try (DynamoDbFaultProxy proxy = DynamoDbFaultProxy.start(LocalAws.dynamoDbEndpoint())) {
                    RequestHandler<KinesisEvent, StreamsEventResponse> handler =
                            target.handler().apply(local.withClient(LocalAws.dynamoDb(proxy.endpoint())));
                    for (KinesisEvent batch : deliveries) {
                        String operation = operations.get(random.nextInt(operations.size()));
                        DynamoDbFaultProxy.Failure failure = random.nextBoolean() ? DynamoDbFaultProxy.Failure.THROTTLE
                                : DynamoDbFaultProxy.Failure.INTERNAL_ERROR;
                        if (round == 3) {
                            proxy.failAlways(operation, failure);
                        } else {
                            proxy.failNext(operation, 1 + random.nextInt(8), failure);
                        }
                        KinesisEvent remaining = batch;
                        for (int attempt = 0; remaining != null; attempt++) {
                            assertTrue(attempt < 30, "the batch never went through");
                            if (attempt == 2) {
                                proxy.heal();
                            }
                            StreamsEventResponse response;
                            try {
                                response = handler.handleRequest(remaining, null);
                            } catch (RuntimeException failed) {
                                continue;
                            }
                            remaining = response.getBatchItemFailures().isEmpty() ? null : resumeFrom(remaining, response);
                        }
                        proxy.heal();
                        injected.addAndGet(operations.stream().mapToLong(proxy::injected).sum());
                    }
                }
                assertEquals(oracle, TableSnapshot.of(local.dynamo(), local.tables()), "round " + round);
            });
            assertTrue(injected.get() > 0, "faults were injected");
            System.out.printf("stream faults %s: %d throttles and 500s injected over 4 rounds, all equal to the oracle%n",
                    target.name(), injected.get());
        }));
    }

    @TestFactory
    Stream<DynamicTest> redeliveredAndReorderedAcrossShards_endsEqualToOracle() {
        return StreamTargets.ALL.stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> {
            List<KinesisEvent> deliveries = deliveries(target, new Random(3));
            Map<String, String> oracle = run(target, deliveries, KillSwitch.counting());
            for (int round = 0; round < 3; round++) {
                Random random = new Random(200 + round);
                List<KinesisEvent> shuffled = new ArrayList<>(deliveries);
                for (int i = 0; i < 3; i++) {
                    shuffled.add(deliveries.get(random.nextInt(deliveries.size())));
                }
                Collections.shuffle(shuffled, random);
                LocalStack local = LocalStack.fresh();
                RequestHandler<KinesisEvent, StreamsEventResponse> handler = target.handler().apply(local);
                for (KinesisEvent batch : shuffled) {
                    assertTrue(handler.handleRequest(batch, null).getBatchItemFailures().isEmpty());
                }
                Map<String, String> actual = TableSnapshot.of(local.dynamo(), local.tables());
                int order = round;
                assertEquals(oracle, actual, () -> "order " + order + "\n" + TableSnapshot.difference(oracle, actual));
            }
        }));
    }

    /** The deliveries handled once each, in order, without faults: what every faulty run must end at. */
    private static Map<String, String> run(StreamTarget target, List<KinesisEvent> deliveries, KillSwitch counter) {
        LocalStack local = LocalStack.fresh();
        RequestHandler<KinesisEvent, StreamsEventResponse> handler =
                target.handler().apply(local.withClient(LocalDynamo.client(counter)));
        for (KinesisEvent batch : deliveries) {
            assertTrue(handler.handleRequest(batch, null).getBatchItemFailures().isEmpty());
        }
        Map<String, String> snapshot = TableSnapshot.of(local.dynamo(), local.tables());
        assertFalse(snapshot.isEmpty());
        return snapshot;
    }

    /** One batch per shard, two per shard in sequence; a share of events resent by producers on other shards. */
    private static List<KinesisEvent> deliveries(StreamTarget target, Random random) {
        List<String> sent = new ArrayList<>();
        List<KinesisEvent> batches = new ArrayList<>();
        for (int part = 0; part < 2; part++) {
            for (int shard = 0; shard < SHARDS; shard++) {
                KinesisEvents builder = KinesisEvents.shard("shardId-00000000000" + shard, 100L * part);
                for (int i = 0; i < EVENTS_PER_SHARD; i++) {
                    String json = !sent.isEmpty() && random.nextInt(8) == 0 ? sent.get(random.nextInt(sent.size()))
                            : target.validEvent().apply(random, NOW.minusSeconds(random.nextInt(3 * 3600))).toString();
                    sent.add(json);
                    builder.record("p" + i, json);
                }
                batches.add(builder.build());
            }
        }
        return batches;
    }

    /** Delivers a batch to a new container until nothing fails, resuming as Lambda does. */
    private static void deliverUntilDone(RequestHandler<KinesisEvent, StreamsEventResponse> handler, KinesisEvent batch,
                                         StreamsEventResponse previous) {
        KinesisEvent remaining = batch;
        for (int attempt = 0; remaining != null; attempt++) {
            assertTrue(attempt < 10, "the batch never went through");
            StreamsEventResponse response = handler.handleRequest(remaining, null);
            remaining = response.getBatchItemFailures().isEmpty() ? null : resumeFrom(remaining, response);
        }
    }

    /** The batch from the record Lambda resumes at: the lowest failed sequence number. */
    static KinesisEvent resumeFrom(KinesisEvent batch, StreamsEventResponse response) {
        BigInteger first = response.getBatchItemFailures().stream()
                .map(f -> new BigInteger(f.getItemIdentifier())).min(BigInteger::compareTo).orElseThrow();
        KinesisEvent rest = new KinesisEvent();
        rest.setRecords(batch.getRecords().stream()
                .filter(r -> new BigInteger(r.getKinesis().getSequenceNumber()).compareTo(first) >= 0).toList());
        return rest;
    }
}
