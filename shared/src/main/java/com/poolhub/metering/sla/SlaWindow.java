package com.poolhub.metering.sla;

import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.MinerHour;
import java.time.Duration;
import java.time.Instant;

/**
 * An SLA window {@code [start, end)} (CONTRACT §2). Heartbeat figures (uptime, capacity, the
 * utilisation snapshot) count the complete buckets inside it: from the first bucket starting at or
 * after {@code start} up to {@code end} rounded down to a bucket boundary, so a bucket still in
 * progress at {@code end}, in which a miner may not have sent its heartbeat yet, never counts. Match
 * and job figures count the events, by event time, of the complete minutes inside it: from the first
 * minute starting at or after {@code start} up to {@code end} rounded down to a minute, so for a
 * window on whole minutes they are exactly the events in {@code [start, end)}.
 */
public record SlaWindow(Instant start, Instant end) {
    private static final long MINUTE_SECONDS = 60;

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

    /** The first minute of {@code hour} inside the window's complete minutes, clamped to 0..60. */
    public int fromMinute(Instant hour) {
        long minute = Math.floorDiv(start.getEpochSecond(), MINUTE_SECONDS);
        boolean onMinute = Math.floorMod(start.getEpochSecond(), MINUTE_SECONDS) == 0 && start.getNano() == 0;
        return minuteIndex(hour, onMinute ? minute : minute + 1);
    }

    /** The minute of {@code hour} after the window's complete minutes, clamped to 0..60. */
    public int toMinute(Instant hour) {
        return minuteIndex(hour, Math.floorDiv(end.getEpochSecond(), MINUTE_SECONDS));
    }

    private static int minuteIndex(Instant hour, long epochMinute) {
        long index = epochMinute - Math.floorDiv(hour.getEpochSecond(), MINUTE_SECONDS);
        return (int) Math.max(0, Math.min(MinerHour.MINUTES, index));
    }
}
