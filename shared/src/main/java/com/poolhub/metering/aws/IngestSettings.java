package com.poolhub.metering.aws;

import com.poolhub.metering.config.Env;
import com.poolhub.metering.config.LateArrival;
import com.poolhub.metering.config.UsageRetention;
import com.poolhub.metering.event.EventTimePolicy;
import java.time.Clock;
import java.time.Duration;

/**
 * The settings every Kinesis ingest shares, named once: the late-arrival limit (also the
 * deduplication horizon), how long rejects are kept, and the writes in flight per batch.
 */
public final class IngestSettings {
    public static final int DEFAULT_REJECT_RETENTION_DAYS = 35;
    public static final int DEFAULT_WRITE_PARALLELISM = 8;

    private IngestSettings() {
    }

    /** {@code LATE_ARRIVAL_LIMIT_DAYS}, default 35: see {@link LateArrival}. */
    public static Duration lateArrivalLimit(Env env) {
        return LateArrival.limit(env);
    }

    /** {@code REJECT_RETENTION_DAYS}, default 35. */
    public static Duration rejectRetention(Env env) {
        return env.days("REJECT_RETENTION_DAYS", DEFAULT_REJECT_RETENTION_DAYS);
    }

    /** {@code INGEST_WRITE_PARALLELISM}, default 8. */
    public static int writeParallelism(Env env) {
        return env.intValue("INGEST_WRITE_PARALLELISM", DEFAULT_WRITE_PARALLELISM);
    }

    /** Items holding fingerprints outlive the deduplication horizon by a day. */
    public static Duration fingerprintRetention(Duration lateArrivalLimit) {
        return UsageRetention.minuteRetention(lateArrivalLimit);
    }

    /** The accepted event times: the late-arrival limit back, the standard skew ahead. */
    public static EventTimePolicy timePolicy(Clock clock, Duration lateArrivalLimit) {
        return new EventTimePolicy(clock, lateArrivalLimit, EventTimePolicy.DEFAULT_FUTURE_SKEW);
    }
}
