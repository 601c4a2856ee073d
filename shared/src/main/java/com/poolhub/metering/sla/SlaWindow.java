package com.poolhub.metering.sla;

import com.poolhub.metering.telemetry.BucketGrid;
import java.time.Duration;
import java.time.Instant;

/**
 * An SLA window {@code [start, end)} (CONTRACT §2). Heartbeat figures (uptime, capacity, the
 * utilisation snapshot) count the complete buckets inside it: from the first bucket starting at or
 * after {@code start} up to {@code end} rounded down to a bucket boundary, so a bucket still in
 * progress at {@code end}, in which a miner may not have sent its heartbeat yet, never counts. Match and job figures come from hourly counters and so count the
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

    /**
     * The first bucket after the window's complete buckets: the bucket holding {@code end}, so the
     * last counted bucket is the latest one that ends at or before {@code end}.
     */
    public long endBucket(BucketGrid grid) {
        return grid.bucketOf(end);
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
