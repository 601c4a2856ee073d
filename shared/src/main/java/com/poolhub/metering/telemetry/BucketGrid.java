package com.poolhub.metering.telemetry;

import java.time.Instant;

/**
 * The heartbeat bucket grid: bucket of a time t = floor(epochSeconds(t) / interval) (CONTRACT §2).
 * Buckets are filed under the UTC hour in which they start, so any interval works, including ones
 * that do not divide an hour; an hour then holds {@link #bucketsInHour} buckets starting at
 * {@link #firstBucketOfHour}.
 */
public record BucketGrid(int intervalSeconds) {
    public static final int HOUR_SECONDS = 3600;

    public BucketGrid {
        if (intervalSeconds < 1) {
            throw new IllegalArgumentException("the heartbeat interval must be at least one second");
        }
    }

    public long bucketOf(Instant time) {
        return Math.floorDiv(time.getEpochSecond(), intervalSeconds);
    }

    public Instant startOf(long bucket) {
        return Instant.ofEpochSecond(bucket * intervalSeconds);
    }

    /** The first bucket that starts at or after {@code time}. */
    public long firstBucketFrom(Instant time) {
        return Math.floorDiv(time.getEpochSecond() + intervalSeconds - 1, intervalSeconds);
    }

    /** The UTC hour in which a bucket starts. */
    public Instant hourOf(long bucket) {
        return Instant.ofEpochSecond(Math.floorDiv(bucket * intervalSeconds, HOUR_SECONDS) * HOUR_SECONDS);
    }

    public long firstBucketOfHour(Instant hour) {
        return firstBucketFrom(hour);
    }

    public int bucketsInHour(Instant hour) {
        return (int) (firstBucketFrom(hour.plusSeconds(HOUR_SECONDS)) - firstBucketFrom(hour));
    }

    /** The start of the UTC hour holding {@code time}. */
    public static Instant hourFloor(Instant time) {
        return Instant.ofEpochSecond(Math.floorDiv(time.getEpochSecond(), HOUR_SECONDS) * HOUR_SECONDS);
    }

    /** The minute of its UTC hour (0 to 59) in which {@code time} falls. */
    public static int minuteOfHour(Instant time) {
        return (int) (Math.floorMod(time.getEpochSecond(), HOUR_SECONDS) / 60);
    }
}
