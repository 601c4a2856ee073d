package com.poolhub.metering.quota;

import java.time.Clock;
import java.time.Duration;

/**
 * A token bucket with lazy refill, in exact integer arithmetic. The level is kept in units of
 * 1/60,000 of a token, so that refill is exactly {@code perMinute} units per millisecond and no
 * fraction of a token is ever rounded away. Refill is computed when the bucket is used, from the
 * stored time; a clock behind the stored time adds nothing (and never moves the stored time back),
 * so two callers with skewed clocks cannot refill the same interval twice.
 */
public final class TokenBucket {
    /** Units of level per token: milliseconds per minute. */
    public static final long UNITS_PER_TOKEN = 60_000L;

    private final RateLimit rate;
    private final Clock clock;

    public TokenBucket(RateLimit rate, Clock clock) {
        this.rate = rate;
        this.clock = clock;
    }

    /** The outcome of taking a token: the state to store when granted, or how long until a token is there. */
    public record Take(boolean granted, BucketState state, Duration retryAfter) {
        /** Whole tokens left after the take. */
        public long tokensLeft() {
            return state.level() / UNITS_PER_TOKEN;
        }
    }

    /** A full bucket, as a tenant starts. */
    public BucketState full() {
        return new BucketState(capacity(), clock.millis());
    }

    /** The state now: the stored state with the refill since its time (a missing state is full). */
    public BucketState refilled(BucketState stored) {
        if (stored == null) {
            return full();
        }
        long now = clock.millis();
        long level = Math.min(stored.level(), capacity());
        if (now <= stored.atMillis()) {
            return new BucketState(level, stored.atMillis());
        }
        long elapsed = now - stored.atMillis();
        long room = capacity() - level;
        // elapsed * perMinute could overflow for long idle times; past the time to fill, the bucket is full
        long refill = elapsed >= ceilDiv(room, rate.perMinute()) ? room : elapsed * rate.perMinute();
        return new BucketState(level + refill, now);
    }

    /** Takes one token if there is one. */
    public Take take(BucketState stored) {
        BucketState current = refilled(stored);
        if (current.level() >= UNITS_PER_TOKEN) {
            return new Take(true, new BucketState(current.level() - UNITS_PER_TOKEN, current.atMillis()), Duration.ZERO);
        }
        long waitMillis = ceilDiv(UNITS_PER_TOKEN - current.level(), rate.perMinute());
        return new Take(false, current, Duration.ofMillis(waitMillis));
    }

    private long capacity() {
        return rate.burst() * UNITS_PER_TOKEN;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
