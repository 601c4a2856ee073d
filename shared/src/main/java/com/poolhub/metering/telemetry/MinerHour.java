package com.poolhub.metering.telemetry;

import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One miner's telemetry in one UTC hour, kept so that SLA figures never need raw events: which
 * buckets had a heartbeat at all and which had one not {@code OFFLINE}, the latest heartbeat of each
 * bucket (status, GPUs, free GPUs, by event time so arrival order does not matter), the hour's match
 * response times and its job outcome counters. Immutable.
 *
 * @param firstBucket the first heartbeat bucket starting in this hour; bucket offsets count from it
 */
public record MinerHour(long firstBucket, BitSet up, BitSet seen, NavigableMap<Integer, HeartbeatReading> readings,
                        ResponseTimes responses, long succeeded, long failed, long timedOut) {

    public MinerHour {
        up = (BitSet) up.clone();
        seen = (BitSet) seen.clone();
        readings = Collections.unmodifiableNavigableMap(new TreeMap<>(readings));
    }

    public static MinerHour empty(long firstBucket) {
        return new MinerHour(firstBucket, new BitSet(), new BitSet(), new TreeMap<>(), ResponseTimes.empty(), 0, 0, 0);
    }

    @Override
    public BitSet up() {
        return (BitSet) up.clone();
    }

    @Override
    public BitSet seen() {
        return (BitSet) seen.clone();
    }

    /** This hour with one more heartbeat in bucket {@code bucket}. */
    public MinerHour withHeartbeat(long bucket, TelemetryEvent.Heartbeat heartbeat) {
        int offset = Math.toIntExact(bucket - firstBucket);
        if (offset < 0) {
            throw new IllegalArgumentException("bucket " + bucket + " does not start in this hour");
        }
        BitSet newUp = (BitSet) up.clone();
        BitSet newSeen = (BitSet) seen.clone();
        newSeen.set(offset);
        if (heartbeat.status().isUp()) {
            newUp.set(offset);
        }
        TreeMap<Integer, HeartbeatReading> newReadings = new TreeMap<>(readings);
        HeartbeatReading reading = new HeartbeatReading(heartbeat.time().toEpochMilli(), heartbeat.status(),
                heartbeat.gpus(), heartbeat.gpusFree());
        newReadings.merge(offset, reading, HeartbeatReading::later);
        return new MinerHour(firstBucket, newUp, newSeen, newReadings, responses, succeeded, failed, timedOut);
    }

    public MinerHour withResponse(long micros) {
        return new MinerHour(firstBucket, up, seen, readings, responses.plus(micros), succeeded, failed, timedOut);
    }

    public MinerHour withOutcome(JobOutcome outcome) {
        return new MinerHour(firstBucket, up, seen, readings, responses,
                succeeded + (outcome == JobOutcome.SUCCEEDED ? 1 : 0),
                failed + (outcome == JobOutcome.FAILED ? 1 : 0),
                timedOut + (outcome == JobOutcome.TIMED_OUT ? 1 : 0));
    }

    /**
     * This hour together with another part of the same hour (disjoint events): bitmaps united, the
     * later reading of each bucket, response times merged (exact values kept while the hour holds at
     * most {@link ResponseTimes#EXACT_LIMIT}, as when adding one by one), outcomes summed.
     */
    public MinerHour merge(MinerHour other) {
        if (other.firstBucket != firstBucket) {
            throw new IllegalArgumentException("the parts belong to different hours");
        }
        BitSet newUp = up();
        newUp.or(other.up);
        BitSet newSeen = seen();
        newSeen.or(other.seen);
        TreeMap<Integer, HeartbeatReading> newReadings = new TreeMap<>(readings);
        other.readings.forEach((offset, reading) -> newReadings.merge(offset, reading, HeartbeatReading::later));
        return new MinerHour(firstBucket, newUp, newSeen, newReadings, responses.mergeWithinHour(other.responses),
                succeeded + other.succeeded, failed + other.failed, timedOut + other.timedOut);
    }

    public boolean isUp(long bucket) {
        long offset = bucket - firstBucket;
        return offset >= 0 && offset < Integer.MAX_VALUE && up.get((int) offset);
    }

    /** The latest reading at or before {@code bucket} within this hour, or null. */
    public HeartbeatReading readingAtOrBefore(long bucket) {
        long offset = bucket - firstBucket;
        if (offset < 0) {
            return null;
        }
        Map.Entry<Integer, HeartbeatReading> entry = readings.floorEntry((int) Math.min(offset, Integer.MAX_VALUE));
        return entry == null ? null : entry.getValue();
    }

    /** The hour's latest reading, or null when it had no heartbeat. */
    public HeartbeatReading lastReading() {
        return readings.isEmpty() ? null : readings.lastEntry().getValue();
    }
}
