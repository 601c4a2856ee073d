package com.poolhub.metering.quota;

import java.math.BigInteger;
import java.time.Duration;

/**
 * A token bucket kept as one number: the theoretical arrival time (TAT) of the generic cell rate
 * algorithm, in exact integer arithmetic. Time is counted in ticks of {@code 1/perMinute} ms, so
 * one token's emission interval is exactly {@link #TICKS_PER_TOKEN} ticks and no fraction of a
 * token is ever rounded away. A bucket holding level {@code L} (in 1/60,000 tokens) at time
 * {@code t} has {@code TAT = t + burst × 60,000 − L}; a TAT at or before now is a full bucket.
 * Taking a token moves the TAT to {@code max(TAT, now) + 60,000} and is allowed while
 * {@code max(TAT, now) <= now + (burst − 1) × 60,000}: exactly the bucket that refills
 * {@code perMinute} tokens a minute up to {@code burst}. A caller whose clock is behind sees the
 * bucket emptier by the skew, never fuller, so callers with skewed clocks cannot refill the same
 * interval twice.
 */
public final class GcraBucket {
    /** Ticks per token: milliseconds per minute. */
    public static final long TICKS_PER_TOKEN = 60_000L;
    private static final BigInteger INTERVAL = BigInteger.valueOf(TICKS_PER_TOKEN);

    private final RateLimit rate;

    public GcraBucket(RateLimit rate) {
        this.rate = rate;
    }

    public RateLimit rate() {
        return rate;
    }

    /** A time in this bucket's ticks. */
    public BigInteger ticks(long epochMillis) {
        return BigInteger.valueOf(epochMillis).multiply(BigInteger.valueOf(rate.perMinute()));
    }

    /** One token's emission interval, in ticks. */
    public BigInteger interval() {
        return INTERVAL;
    }

    /** The latest TAT a take at {@code nowMillis} accepts: {@code now + (burst − 1) × 60,000}. */
    public BigInteger latestStart(long nowMillis) {
        return latestStart(nowMillis, 1);
    }

    /** The latest TAT a take of {@code tokens} at {@code nowMillis} accepts: {@code now + (burst − tokens) × 60,000}. */
    public BigInteger latestStart(long nowMillis, long tokens) {
        return ticks(nowMillis).add(BigInteger.valueOf(rate.burst() - tokens).multiply(INTERVAL));
    }

    /**
     * The outcome of taking a token.
     *
     * @param fromIdle   the stored TAT was absent or not after now: the next TAT is {@code now + 60,000}
     *                   (otherwise it is the stored TAT plus 60,000)
     * @param next       the TAT after the take (when granted)
     * @param tokensLeft whole tokens left after a granted take
     * @param retryAfter for a refusal, how long until a token is there
     */
    public record Take(boolean granted, boolean fromIdle, BigInteger next, long tokensLeft, Duration retryAfter) {
    }

    /** Takes one token from the bucket whose TAT is {@code tat} (null: a full bucket) at {@code nowMillis}. */
    public Take take(BigInteger tat, long nowMillis) {
        return take(tat, nowMillis, 1);
    }

    /**
     * Takes {@code tokens} (1 to the burst) at once from the bucket whose TAT is {@code tat} (null: a
     * full bucket) at {@code nowMillis}: all of them or none.
     */
    public Take take(BigInteger tat, long nowMillis, long tokens) {
        if (tokens < 1 || tokens > rate.burst()) {
            throw new IllegalArgumentException("a take is 1 to " + rate.burst() + " tokens, not " + tokens);
        }
        BigInteger now = ticks(nowMillis);
        boolean fromIdle = tat == null || tat.compareTo(now) <= 0;
        BigInteger base = fromIdle ? now : tat;
        BigInteger latest = latestStart(nowMillis, tokens);
        if (base.compareTo(latest) <= 0) {
            BigInteger next = base.add(INTERVAL.multiply(BigInteger.valueOf(tokens)));
            return new Take(true, fromIdle, next, tokensAt(next, nowMillis), Duration.ZERO);
        }
        BigInteger wait = ceilDiv(base.subtract(latest), BigInteger.valueOf(rate.perMinute()));
        return new Take(false, fromIdle, base, 0, Duration.ofMillis(wait.longValueExact()));
    }

    /** Whole tokens in the bucket whose TAT is {@code tat} (null: full) at {@code nowMillis}. */
    public long tokensAt(BigInteger tat, long nowMillis) {
        return level(tat, nowMillis).divide(INTERVAL).longValueExact();
    }

    /**
     * The TAT under another rate limit that keeps the level this bucket holds at {@code nowMillis}
     * (capped at the new burst), so a changed rate limit neither refills nor drains the bucket.
     *
     * @return null for a full bucket
     */
    public BigInteger rescheduled(BigInteger tat, long nowMillis, RateLimit next) {
        GcraBucket other = new GcraBucket(next);
        BigInteger capacity = other.capacity();
        BigInteger level = level(tat, nowMillis).min(capacity);
        if (level.equals(capacity)) {
            return null;
        }
        return other.ticks(nowMillis).add(capacity).subtract(level);
    }

    /** The level in 1/60,000 tokens: {@code burst × 60,000 − max(TAT − now, 0)}, never negative. */
    private BigInteger level(BigInteger tat, long nowMillis) {
        if (tat == null) {
            return capacity();
        }
        BigInteger ahead = tat.subtract(ticks(nowMillis)).max(BigInteger.ZERO);
        return capacity().subtract(ahead).max(BigInteger.ZERO);
    }

    private BigInteger capacity() {
        return BigInteger.valueOf(rate.burst()).multiply(INTERVAL);
    }

    private static BigInteger ceilDiv(BigInteger a, BigInteger b) {
        BigInteger[] qr = a.divideAndRemainder(b);
        return qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    }
}
