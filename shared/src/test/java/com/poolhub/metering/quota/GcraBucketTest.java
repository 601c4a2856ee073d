package com.poolhub.metering.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GcraBucketTest {
    private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    private static BigInteger drain(GcraBucket bucket, BigInteger tat, long now, int takes) {
        for (int i = 0; i < takes; i++) {
            GcraBucket.Take take = bucket.take(tat, now);
            assertTrue(take.granted(), "take " + i);
            tat = take.next();
        }
        return tat;
    }

    @Test
    void take_fromAFullBucket_grantsTheBurstThenSaysWhenTheNextTokenIsThere() {
        GcraBucket bucket = new GcraBucket(new RateLimit(60, 5));
        BigInteger tat = drain(bucket, null, T0, 5);
        GcraBucket.Take sixth = bucket.take(tat, T0);
        assertFalse(sixth.granted());
        assertEquals(Duration.ofSeconds(1), sixth.retryAfter());
        assertEquals(0, bucket.tokensAt(tat, T0));
    }

    @Test
    void tokens_afterIdle_refillAtTheRateButNeverAboveTheBurst() {
        GcraBucket bucket = new GcraBucket(new RateLimit(60, 5));
        BigInteger empty = drain(bucket, null, T0, 5);
        assertEquals(2, bucket.tokensAt(empty, T0 + 2_500));
        assertEquals(5, bucket.tokensAt(empty, T0 + Duration.ofDays(400).toMillis()));
        GcraBucket.Take afterIdle = bucket.take(empty, T0 + Duration.ofDays(400).toMillis());
        assertTrue(afterIdle.fromIdle());
        assertEquals(4, afterIdle.tokensLeft());
    }

    @Test
    void take_whenEmpty_atARateThatIsNoWholeNumberOfMilliseconds_losesNoFraction() {
        // 7 a minute is one token every 8571.43 ms
        GcraBucket bucket = new GcraBucket(new RateLimit(7, 1));
        BigInteger empty = drain(bucket, null, T0, 1);
        GcraBucket.Take refused = bucket.take(empty, T0);
        assertEquals(Duration.ofMillis(8572), refused.retryAfter());
        assertFalse(bucket.take(empty, T0 + 8571).granted());
        assertTrue(bucket.take(empty, T0 + 8572).granted());
        BigInteger tat = drain(new GcraBucket(new RateLimit(7, 10)), null, T0, 10);
        assertEquals(7, new GcraBucket(new RateLimit(7, 10)).tokensAt(tat, T0 + 60_000));
    }

    @Test
    void take_withAClockBehindTheStoredTime_seesTheBucketEmptierNeverFuller() {
        GcraBucket bucket = new GcraBucket(new RateLimit(60, 5));
        BigInteger tat = drain(bucket, null, T0 + 10_000, 3);
        GcraBucket.Take late = bucket.take(tat, T0 + 8_000);
        assertFalse(late.fromIdle());
        assertEquals(0, late.tokensLeft(), "two seconds behind: two tokens fewer than the prompt clock sees");
        assertFalse(bucket.take(tat, T0).granted());
        GcraBucket.Take prompt = bucket.take(tat, T0 + 10_000);
        assertEquals(1, prompt.tokensLeft());
    }

    /** The refill-on-use bucket in 1/60,000 tokens, as the rate limit is specified. */
    private static final class LevelBucket {
        private final RateLimit rate;
        private long level;
        private long at;

        LevelBucket(RateLimit rate, long now) {
            this.rate = rate;
            this.level = rate.burst() * GcraBucket.TICKS_PER_TOKEN;
            this.at = now;
        }

        boolean take(long now) {
            if (now > at) {
                level = Math.min(rate.burst() * GcraBucket.TICKS_PER_TOKEN, level + (now - at) * rate.perMinute());
                at = now;
            }
            if (level < GcraBucket.TICKS_PER_TOKEN) {
                return false;
            }
            level -= GcraBucket.TICKS_PER_TOKEN;
            return true;
        }

        long tokens() {
            return level / GcraBucket.TICKS_PER_TOKEN;
        }
    }

    @Test
    void take_overRandomTimes_grantsExactlyWhatARefillingTokenBucketGrants() {
        SplittableRandom random = new SplittableRandom(18);
        for (RateLimit rate : new RateLimit[] {new RateLimit(7, 3), new RateLimit(600, 100), new RateLimit(1, 1),
                new RateLimit(RateLimit.MAX, RateLimit.MAX)}) {
            GcraBucket bucket = new GcraBucket(rate);
            LevelBucket reference = new LevelBucket(rate, T0);
            BigInteger tat = null;
            long now = T0;
            for (int i = 0; i < 20_000; i++) {
                now += random.nextInt(4) == 0 ? random.nextLong(30_000) : random.nextLong(50);
                boolean expected = reference.take(now);
                GcraBucket.Take take = bucket.take(tat, now);
                assertEquals(expected, take.granted(), rate + " take " + i);
                if (take.granted()) {
                    tat = take.next();
                    assertEquals(reference.tokens(), take.tokensLeft(), rate + " tokens after take " + i);
                }
            }
        }
    }

    @Test
    void rescheduled_toAnotherRate_keepsTheLevelCappedAtTheNewBurst() {
        GcraBucket old = new GcraBucket(new RateLimit(60, 10));
        BigInteger tat = drain(old, null, T0, 4);
        RateLimit faster = new RateLimit(600, 20);
        BigInteger moved = old.rescheduled(tat, T0, faster);
        assertEquals(6, new GcraBucket(faster).tokensAt(moved, T0));
        BigInteger capped = old.rescheduled(tat, T0, new RateLimit(1, 2));
        assertEquals(2, new GcraBucket(new RateLimit(1, 2)).tokensAt(capped, T0));
        assertEquals(10, new GcraBucket(faster).tokensAt(old.rescheduled(null, T0, faster), T0),
                "a full bucket keeps its tokens under a larger burst");
        assertNull(old.rescheduled(null, T0, new RateLimit(1, 2)), "and is full under a smaller one");
    }

    @Test
    void aTakeOfSeveralTokens_takesAllOrNone_andWaitsForAllOfThem() {
        GcraBucket bucket = new GcraBucket(new RateLimit(60, 10));
        long t0 = Instant.parse("2026-11-22T12:00:00Z").toEpochMilli();

        GcraBucket.Take eight = bucket.take(null, t0, 8);
        GcraBucket.Take eightMore = bucket.take(eight.next(), t0, 8);
        GcraBucket.Take two = bucket.take(eight.next(), t0, 2);

        assertTrue(eight.granted());
        assertEquals(2, eight.tokensLeft());
        assertFalse(eightMore.granted());
        assertEquals(Duration.ofSeconds(6), eightMore.retryAfter());
        assertEquals(eight.next(), eightMore.next(), "a refusal leaves the bucket as it was");
        assertTrue(two.granted());
        assertEquals(0, two.tokensLeft());
        assertTrue(bucket.take(two.next(), t0 + 10_000, 10).granted(), "ten seconds refill the whole burst");
        assertThrows(IllegalArgumentException.class, () -> bucket.take(null, t0, 11));
        assertThrows(IllegalArgumentException.class, () -> bucket.take(null, t0, 0));
    }
}
