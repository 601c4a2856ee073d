package com.poolhub.metering.telemetry;

import java.util.BitSet;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One miner's telemetry in one UTC hour, kept so that SLA figures never need raw events: which
 * buckets had a heartbeat at all and which had one not {@code OFFLINE}, the latest heartbeat of each
 * bucket (status, GPUs, free GPUs, by event time so arrival order does not matter), and per minute of
 * the hour (by event time) the match response times and job outcome counters, so that a window
 * counts only the minutes inside it. Exact response values are kept while the whole hour holds at
 * most {@link ResponseTimes#EXACT_LIMIT} of them, in any order of adding or merging. Immutable.
 *
 * @param firstBucket the first heartbeat bucket starting in this hour; bucket offsets count from it
 * @param minutes     tallies by minute of the hour (0 to 59); {@link #WHOLE_HOUR} holds counters
 *                    stored before minutes were kept, whose minute is unknown
 */
public record MinerHour(long firstBucket, BitSet up, BitSet seen, NavigableMap<Integer, HeartbeatReading> readings,
                        NavigableMap<Integer, MinuteTally> minutes) {
    /** Minutes in an hour. */
    public static final int MINUTES = 60;
    /** The key of a tally whose minute within the hour is unknown. */
    public static final int WHOLE_HOUR = -1;

    public MinerHour {
        up = (BitSet) up.clone();
        seen = (BitSet) seen.clone();
        readings = Collections.unmodifiableNavigableMap(new TreeMap<>(readings));
        minutes = Collections.unmodifiableNavigableMap(withinExactLimit(new TreeMap<>(minutes)));
    }

    public static MinerHour empty(long firstBucket) {
        return new MinerHour(firstBucket, new BitSet(), new BitSet(), new TreeMap<>(), new TreeMap<>());
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
        return new MinerHour(firstBucket, newUp, newSeen, newReadings, minutes);
    }

    /** This hour with one more match response time in minute {@code minute} of the hour. */
    public MinerHour withResponse(int minute, long micros) {
        return withTally(minute, tally(minute).withResponse(micros));
    }

    /** This hour with one more job outcome in minute {@code minute} of the hour. */
    public MinerHour withOutcome(int minute, JobOutcome outcome) {
        return withTally(minute, tally(minute).withOutcome(outcome));
    }

    /**
     * This hour together with another part of the same hour (disjoint events): bitmaps united, the
     * later reading of each bucket, tallies of each minute merged.
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
        TreeMap<Integer, MinuteTally> newMinutes = new TreeMap<>(minutes);
        other.minutes.forEach((minute, tally) -> newMinutes.merge(minute, tally, MinuteTally::merge));
        return new MinerHour(firstBucket, newUp, newSeen, newReadings, newMinutes);
    }

    /**
     * The tally of minutes {@code [fromMinute, toMinute)} of this hour. Counters whose minute is
     * unknown count only when the range is the whole hour.
     */
    public MinuteTally tally(int fromMinute, int toMinute) {
        if (fromMinute < 0 || toMinute > MINUTES || fromMinute > toMinute) {
            throw new IllegalArgumentException("not a range of minutes: [" + fromMinute + ", " + toMinute + ")");
        }
        MinuteTally sum = MinuteTally.empty();
        for (MinuteTally tally : minutes.subMap(fromMinute, true, toMinute, false).values()) {
            sum = sum.merge(tally);
        }
        if (fromMinute == 0 && toMinute == MINUTES && minutes.containsKey(WHOLE_HOUR)) {
            sum = sum.merge(minutes.get(WHOLE_HOUR));
        }
        return sum;
    }

    /** The whole hour's tally. */
    public MinuteTally total() {
        return tally(0, MINUTES);
    }

    public ResponseTimes responses() {
        return total().responses();
    }

    public long succeeded() {
        return total().succeeded();
    }

    public long failed() {
        return total().failed();
    }

    public long timedOut() {
        return total().timedOut();
    }

    private MinuteTally tally(int minute) {
        if (minute < 0 || minute >= MINUTES) {
            throw new IllegalArgumentException("not a minute of an hour: " + minute);
        }
        return minutes.getOrDefault(minute, MinuteTally.empty());
    }

    private MinerHour withTally(int minute, MinuteTally tally) {
        TreeMap<Integer, MinuteTally> newMinutes = new TreeMap<>(minutes);
        newMinutes.put(minute, tally);
        return new MinerHour(firstBucket, up, seen, readings, newMinutes);
    }

    /** The tallies, with exact response values dropped everywhere once the hour holds more than the limit. */
    private static TreeMap<Integer, MinuteTally> withinExactLimit(TreeMap<Integer, MinuteTally> minutes) {
        long count = 0;
        for (MinuteTally tally : minutes.values()) {
            count += tally.responses().count();
        }
        if (count > ResponseTimes.EXACT_LIMIT) {
            minutes.replaceAll((minute, tally) -> tally.histogramOnly());
        }
        return minutes;
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
