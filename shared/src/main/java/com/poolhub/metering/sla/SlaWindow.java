package com.poolhub.metering.sla;

import com.poolhub.metering.telemetry.BucketGrid;
import java.time.Duration;
import java.time.Instant;

/**
 * An SLA window {@code [start, end)} (CONTRACT §2). Heartbeat figures (uptime, capacity) count the
 * buckets that start inside it. Match and job figures come from hourly counters and so count the
 * whole UTC hours the window touches; windows on whole hours are exact for every figure.
 */
public record SlaWindow(Instant start, Instant end) {
    public SlaWindow {
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("a window must end after it starts");
        }
    }

    /** The window of the given length that ends where the bucket holding {@code now} starts. */
    public static SlaWindow endingAt(Instant now, Duration length, BucketGrid grid) {
        Instant end = grid.startOf(grid.bucketOf(now));
        return new SlaWindow(end.minus(length), end);
    }

    public long startBucket(BucketGrid grid) {
        return grid.firstBucketFrom(start);
    }

    /** The first bucket after the window. */
    public long endBucket(BucketGrid grid) {
        return grid.firstBucketFrom(end);
    }

    /** The first UTC hour the window touches. */
    public Instant firstHour() {
        return BucketGrid.hourFloor(start);
    }

    /** The last UTC hour the window touches. */
    public Instant lastHour() {
        return BucketGrid.hourFloor(end.minusNanos(1));
    }

    public long hours() {
        return Duration.between(firstHour(), lastHour()).toHours() + 1;
    }
}
