package com.poolhub.metering.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private final MutableClock clock = MutableClock.at("2026-11-22T10:00:00Z");

    private BucketState drain(TokenBucket bucket, BucketState state, int takes) {
        for (int i = 0; i < takes; i++) {
            TokenBucket.Take take = bucket.take(state);
            assertTrue(take.granted(), "take " + i);
            state = take.state();
        }
        return state;
    }

    @Test
    void take_fromMissingState_startsFullAtBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(60, 5), clock);
        BucketState state = drain(bucket, null, 5);
        TokenBucket.Take sixth = bucket.take(state);
        assertFalse(sixth.granted());
        assertEquals(Duration.ofSeconds(1), sixth.retryAfter());
    }

    @Test
    void take_afterIdle_refillsAtRateButNeverAboveBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(60, 5), clock);
        BucketState empty = drain(bucket, null, 5);
        clock.advance(Duration.ofMillis(2_500));
        BucketState refilled = bucket.refilled(empty);
        assertEquals(2 * TokenBucket.UNITS_PER_TOKEN + TokenBucket.UNITS_PER_TOKEN / 2, refilled.level());
        clock.advance(Duration.ofDays(400));
        assertEquals(5 * TokenBucket.UNITS_PER_TOKEN, bucket.refilled(empty).level());
    }

    @Test
    void refill_inManySmallSteps_losesNoFractionOfAToken() {
        // 7 a minute is 1 token every 8571.43 ms: no whole number of units per ms of a whole token
        TokenBucket bucket = new TokenBucket(new RateLimit(7, 10), clock);
        BucketState state = drain(bucket, null, 10);
        for (int i = 0; i < 60_000; i++) {
            clock.advance(Duration.ofMillis(1));
            state = bucket.refilled(state);
        }
        assertEquals(7 * TokenBucket.UNITS_PER_TOKEN, state.level());
        assertEquals(7, bucket.take(state).tokensLeft() + 1);
    }

    @Test
    void take_whenEmpty_saysHowLongUntilTheNextWholeToken() {
        TokenBucket bucket = new TokenBucket(new RateLimit(7, 1), clock);
        BucketState empty = drain(bucket, null, 1);
        TokenBucket.Take refused = bucket.take(empty);
        assertFalse(refused.granted());
        assertEquals(Duration.ofMillis(8572), refused.retryAfter());
        clock.advance(Duration.ofMillis(8571));
        assertFalse(bucket.take(empty).granted());
        clock.advance(Duration.ofMillis(1));
        assertTrue(bucket.take(empty).granted());
    }

    @Test
    void refilled_withClockBehindStoredTime_addsNothingAndKeepsStoredTime() {
        TokenBucket bucket = new TokenBucket(new RateLimit(60, 5), clock);
        BucketState stored = new BucketState(TokenBucket.UNITS_PER_TOKEN, Instant.parse("2026-11-22T10:00:10Z").toEpochMilli());
        BucketState now = bucket.refilled(stored);
        assertEquals(stored, now);
        TokenBucket.Take take = bucket.take(stored);
        assertTrue(take.granted());
        assertEquals(stored.atMillis(), take.state().atMillis());
        assertEquals(0, take.state().level());
    }

    @Test
    void refilled_afterBurstLowered_capsTheStoredLevel() {
        TokenBucket bucket = new TokenBucket(new RateLimit(60, 2), clock);
        BucketState stored = new BucketState(50 * TokenBucket.UNITS_PER_TOKEN, clock.millis());
        assertEquals(2 * TokenBucket.UNITS_PER_TOKEN, bucket.refilled(stored).level());
    }

    @Test
    void rateLimit_outsideBounds_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(RateLimit.MAX + 1, 1));
    }
}
