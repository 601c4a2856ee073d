package com.poolhub.metering.config;

import java.time.Duration;

/**
 * How long hour, day and month usage aggregates are kept after their window ends,
 * {@code AGGREGATE_RETENTION_DAYS}: at least 400 days (the longest range the usage API answers, so a
 * range ending now never meets an expired window), default 400. Invoices and billing records are kept
 * by the billing table, not by these items.
 */
public final class AggregateRetention {
    /** The shortest retention allowed, and the default. */
    public static final Duration MINIMUM = Duration.ofDays(400);

    private AggregateRetention() {
    }

    /** The retention from the environment; below 400 days the function stops at start. */
    public static Duration fromEnv(Env env) {
        return require(env.days("AGGREGATE_RETENTION_DAYS", (int) MINIMUM.toDays()));
    }

    /** {@code retention} itself when it is at least {@link #MINIMUM}. */
    public static Duration require(Duration retention) {
        if (retention.compareTo(MINIMUM) < 0) {
            throw new IllegalStateException("AGGREGATE_RETENTION_DAYS is at least 400 days, not " + retention.toDays());
        }
        return retention;
    }
}
