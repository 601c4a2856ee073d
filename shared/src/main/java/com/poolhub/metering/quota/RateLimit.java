package com.poolhub.metering.quota;

/**
 * A tenant's request rate limit: {@code perMinute} tokens are added per minute, evenly, up to
 * {@code burst}; each consume request takes one.
 */
public record RateLimit(long perMinute, long burst) {
    /** Upper bound of both figures, keeping the bucket arithmetic far from overflow. */
    public static final long MAX = 1_000_000_000L;

    public RateLimit {
        if (perMinute < 1 || perMinute > MAX) {
            throw new IllegalArgumentException("perMinute must be between 1 and " + MAX);
        }
        if (burst < 1 || burst > MAX) {
            throw new IllegalArgumentException("burst must be between 1 and " + MAX);
        }
    }
}
