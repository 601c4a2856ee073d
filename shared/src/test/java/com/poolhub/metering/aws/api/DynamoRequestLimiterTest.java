package com.poolhub.metering.aws.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.testing.LocalDynamo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** API key buckets on the local DynamoDB emulator: exact, shared by containers, cheap to refuse. */
class DynamoRequestLimiterTest {
    private static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");
    /** 60 a minute (one a second), 10 at once. */
    private static final RateLimit LIMIT = new RateLimit(60, 10);

    private final String table = LocalDynamo.freshTables().get(Table.API_KEYS);

    private DynamoRequestLimiter limiter() {
        return new DynamoRequestLimiter(LocalDynamo.client(), table);
    }

    @Test
    void aFullBucket_grantsTheBurst_thenRefusesWithTheWaitForOneToken_andRefillsOneASecond() {
        DynamoRequestLimiter limiter = limiter();
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.empty(), limiter.take("k1", LIMIT, 1, T0), "request " + i);
        }
        assertEquals(Optional.of(Duration.ofSeconds(1)), limiter.take("k1", LIMIT, 1, T0));
        assertEquals(Optional.of(Duration.ofMillis(1)), limiter.take("k1", LIMIT, 1, T0.plusMillis(999)));
        assertEquals(Optional.empty(), limiter.take("k1", LIMIT, 1, T0.plusSeconds(1)));
        assertTrue(limiter.take("k1", LIMIT, 1, T0.plusSeconds(1)).isPresent());
        // another key has a bucket of its own
        assertEquals(Optional.empty(), limiter.take("k2", LIMIT, 1, T0));
    }

    @Test
    void aRequestCostingSeveralTokens_takesThemAll_andWaitsForAllOfThem() {
        DynamoRequestLimiter limiter = limiter();
        assertEquals(Optional.empty(), limiter.take("k1", LIMIT, 8, T0));
        assertEquals(Optional.of(Duration.ofSeconds(6)), limiter.take("k1", LIMIT, 8, T0));
        assertEquals(Optional.empty(), limiter.take("k1", LIMIT, 2, T0));
        // a cost above the burst takes the whole burst, so it can still be served
        assertEquals(Optional.empty(), limiter.take("k3", LIMIT, 50, T0));
        assertEquals(Optional.of(Duration.ofSeconds(1)), limiter.take("k3", LIMIT, 1, T0));
    }

    @Test
    void twoContainers_shareTheBucket_andNeverGrantMoreThanItHolds_under32Callers() throws Exception {
        List<DynamoRequestLimiter> containers = List.of(limiter(), limiter());
        AtomicInteger granted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 96; i++) {
            DynamoRequestLimiter container = containers.get(i % 2);
            calls.add(pool.submit(() -> {
                if (container.take("shared", LIMIT, 1, T0).isEmpty()) {
                    granted.incrementAndGet();
                }
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();
        assertEquals(10, granted.get());
        // the bucket the other container saw is the same one
        assertTrue(containers.get(0).take("shared", LIMIT, 1, T0.plusMillis(500)).isPresent());
        assertEquals(Optional.empty(), containers.get(1).take("shared", LIMIT, 1, T0.plusSeconds(1)));
    }

    @Test
    void aKeyRefusedOnce_isRefusedWithoutARequest_untilATokenCanBeThere() {
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoRequestLimiter limiter = new DynamoRequestLimiter(LocalDynamo.metered(meter), table);
        for (int i = 0; i < 10; i++) {
            limiter.take("flood", LIMIT, 1, T0);
        }
        long before = meter.totalRequests();
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.take("flood", LIMIT, 1, T0.plusMillis(i % 1000)).isPresent());
        }
        assertEquals(before, meter.totalRequests(), "a thousand refusals, no request");
        assertEquals(10, before, "one UpdateItem per granted request");
    }

    @Test
    void aChangedRate_startsTheBucketAgain() {
        DynamoRequestLimiter limiter = limiter();
        for (int i = 0; i < 10; i++) {
            limiter.take("k1", LIMIT, 1, T0);
        }
        assertTrue(limiter.take("k1", LIMIT, 1, T0).isPresent());
        RateLimit doubled = new RateLimit(120, 20);
        assertEquals(Optional.empty(), limiter.take("k1", doubled, 1, T0));
        // and a container that had not seen the change finds it on the item
        DynamoRequestLimiter other = limiter();
        assertEquals(Optional.empty(), other.take("k1", doubled, 19, T0));
        assertEquals(Optional.of(Duration.ofMillis(500)), other.take("k1", doubled, 1, T0));
    }
}
