package com.poolhub.metering.quota;

/**
 * A token bucket's stored state: its level in {@link TokenBucket#UNITS_PER_TOKEN}ths of a token
 * and the time, in epoch milliseconds, up to which refill is already counted in that level.
 */
public record BucketState(long level, long atMillis) {
    public BucketState {
        if (level < 0) {
            throw new IllegalArgumentException("a bucket level is never negative");
        }
    }
}
