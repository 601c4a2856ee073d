package com.poolhub.metering.sla;

import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.HeartbeatReading;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinuteTally;
import com.poolhub.metering.telemetry.ResponseTimes;
import java.time.Instant;
import java.util.Map;

/**
 * Computes a miner's SLA figures over a window from its hourly counters, exactly as CONTRACT §2
 * defines them: uptime over heartbeat buckets, response time and completion over the per-minute
 * counters of the complete minutes inside the window (so edge hours count only their minutes inside it),
 * and its share of pool capacity bucket by bucket, with its GPU count carried forward from its latest
 * heartbeat at or before each bucket.
 */
public final class SlaCalculator {
    private final BucketGrid grid;

    public SlaCalculator(BucketGrid grid) {
        this.grid = grid;
    }

    public BucketGrid grid() {
        return grid;
    }

    public MinerMetrics evaluate(MinerHistory history, SlaWindow window) {
        long startBucket = window.startBucket(grid);
        long endBucket = window.endBucket(grid);
        Long firstBucket = history.firstHeartbeat() == null ? null : grid.bucketOf(history.firstHeartbeat());
        long from = firstBucket == null ? endBucket : Math.max(startBucket, firstBucket);

        long up = 0;
        long upGpuBuckets = 0;
        long knownGpuBuckets = 0;
        Integer gpus = from < endBucket ? gpusBefore(history, from) : null;
        boolean upNow = false;
        HeartbeatReading lastReading = null;
        for (long bucket = from; bucket < endBucket; bucket++) {
            MinerHour hour = history.hours().get(grid.hourOf(bucket));
            HeartbeatReading reading = hour == null ? null : hour.readings().get((int) (bucket - hour.firstBucket()));
            if (reading != null) {
                gpus = reading.gpus();
            }
            boolean isUp = hour != null && hour.isUp(bucket);
            if (isUp) {
                up++;
            }
            if (gpus != null) {
                knownGpuBuckets += gpus;
                if (isUp) {
                    upGpuBuckets += gpus;
                }
            }
            if (bucket == endBucket - 1) {
                upNow = isUp && reading != null;
                lastReading = reading;
            }
        }
        long expected = Math.max(0, endBucket - from);

        MinuteTally activity = MinuteTally.empty();
        for (Map.Entry<Instant, MinerHour> entry
                : history.hours().subMap(window.firstHour(), true, window.lastHour(), true).entrySet()) {
            int fromMinute = window.fromMinute(entry.getKey());
            int toMinute = window.toMinute(entry.getKey());
            if (fromMinute < toMinute) {
                activity = activity.merge(entry.getValue().tally(fromMinute, toMinute));
            }
        }
        ResponseTimes responses = activity.responses();
        long succeeded = activity.succeeded();
        long failed = activity.failed();
        long timedOut = activity.timedOut();
        return new MinerMetrics(history.minerId(), window.start(), window.end(), up, expected, Percent.of(up, expected),
                responses.count(), responses.sumMicros(), responses.meanMs(), responses.percentileMs(95),
                responses.percentileMs(99), responses.isExact(), succeeded, failed, timedOut,
                Percent.of(succeeded, succeeded + failed + timedOut), upNow, gpus,
                upNow ? lastReading.gpusFree() : null, upGpuBuckets, knownGpuBuckets);
    }

    /** The GPU count of the latest heartbeat in a bucket before {@code bucket}, or null. */
    private Integer gpusBefore(MinerHistory history, long bucket) {
        Instant hourOfBucket = grid.hourOf(bucket);
        for (MinerHour hour : history.hours().headMap(hourOfBucket, true).descendingMap().values()) {
            long offset = bucket - 1 - hour.firstBucket();
            if (offset < 0) {
                continue;
            }
            Map.Entry<Integer, HeartbeatReading> entry = hour.readings().floorEntry((int) Math.min(offset, Integer.MAX_VALUE));
            if (entry != null) {
                return entry.getValue().gpus();
            }
        }
        return history.carryIn() == null ? null : history.carryIn().gpus();
    }
}
