package com.poolhub.metering.billing;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Bounded retries with exponential backoff and full jitter: before retry n (1 for the first) wait a
 * uniform random time in [0, min(maxDelay, baseDelay * 2^(n-1))].
 *
 * @param maxAttempts sends per record and run, the first included (at least 1)
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= baseDelay <= maxDelay");
        }
    }

    /** The upper bound of the wait before retry {@code retry} (1-based). */
    public Duration ceiling(int retry) {
        long base = baseDelay.toMillis();
        long ceiling = retry >= 31 ? Long.MAX_VALUE : base << (retry - 1);
        if (ceiling < base) {
            ceiling = Long.MAX_VALUE;
        }
        return Duration.ofMillis(Math.min(maxDelay.toMillis(), ceiling));
    }

    /** The jittered wait before retry {@code retry} (1-based). */
    public Duration delay(int retry, RandomGenerator random) {
        long ceiling = ceiling(retry).toMillis();
        return Duration.ofMillis(ceiling == 0 ? 0 : random.nextLong(ceiling + 1));
    }
}
