package com.poolhub.metering.config;

import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.usage.Granularity;
import java.time.Duration;
import java.time.Instant;

/**
 * How long usage windows are kept after they end: minutes a day past the late-arrival limit (as long
 * as deduplication needs them), hours, days and months the {@link AggregateRetention}. The usage API
 * refuses a range that starts before what is kept rather than answer it with windows gone.
 */
public record UsageRetention(Duration minutes, Duration aggregates) {
    /** At the defaults: the 35-day late-arrival limit and 400 days. */
    public static final UsageRetention DEFAULTS = new UsageRetention(
            minuteRetention(EventTimePolicy.DEFAULT_LATE_ARRIVAL), AggregateRetention.MINIMUM);

    public UsageRetention {
        AggregateRetention.require(aggregates);
    }

    /** From {@code LATE_ARRIVAL_LIMIT_DAYS} and {@code AGGREGATE_RETENTION_DAYS}. */
    public static UsageRetention fromEnv(Env env) {
        return new UsageRetention(minuteRetention(LateArrival.limit(env)), AggregateRetention.fromEnv(env));
    }

    /** Minute items outlive the late-arrival limit (the deduplication horizon) by a day. */
    public static Duration minuteRetention(Duration lateArrivalLimit) {
        return lateArrivalLimit.plusDays(1);
    }

    /** The start of the earliest window of {@code granularity} still kept at {@code now}. */
    public Instant earliestKept(Granularity granularity, Instant now) {
        return granularity.windowStart(now.minus(granularity == Granularity.MINUTE ? minutes : aggregates));
    }
}
