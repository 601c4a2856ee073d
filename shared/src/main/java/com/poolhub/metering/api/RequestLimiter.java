package com.poolhub.metering.api;

import com.poolhub.metering.quota.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Takes tokens from one API key's bucket: each key's requests share one bucket across containers. */
public interface RequestLimiter {
    /**
     * Takes {@code cost} tokens (at most the burst) from the bucket of {@code key} under {@code limit}
     * at {@code now}: empty when granted, else how long until the tokens are there.
     */
    Optional<Duration> take(String key, RateLimit limit, long cost, Instant now);
}
