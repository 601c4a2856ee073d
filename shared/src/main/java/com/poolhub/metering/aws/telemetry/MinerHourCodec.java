package com.poolhub.metering.aws.telemetry;

import com.poolhub.metering.aws.dynamodb.ItemCodec;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.HeartbeatReading;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.MinerStatus;
import com.poolhub.metering.telemetry.MinuteTally;
import com.poolhub.metering.telemetry.ResponseTimes;
import com.poolhub.metering.usage.UtcTimes;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Miner-hour items in the telemetry table: {@code pk = MINER#minerId}, {@code sk = H#yyyy-MM-ddTHH:00:00Z},
 * so one Query reads a miner's hours over a range, newest first if asked. Attributes: {@code b0}
 * first bucket of the hour, {@code up} / {@code seen} bucket bitmaps, {@code hb} the latest heartbeat
 * per bucket (21 bytes each: offset, time, gpus, gpusFree, status), {@code mt} the match response
 * times and job outcomes per minute of the hour ({@link MinuteTallyCodec}), {@code ttl}. Items written
 * before minutes were kept hold hour totals instead, which still decode (as a whole-hour tally, see
 * {@link MinerHour#WHOLE_HOUR}): {@code rc}/{@code rs} response count and sum (µs), {@code rh} the
 * response histogram ({@code index:count,...}, {@code z} for zero), {@code rx} the exact response
 * values while held, {@code js}/{@code jf}/{@code jt} job outcomes. Items outlive the deduplication
 * horizon by a day.
 */
public final class MinerHourCodec implements ItemCodec<MinerHourKey, MinerHour> {
    /** Attributes a reader needs (everything but the store's fingerprints and version). */
    public static final List<String> READ_ATTRIBUTES = List.of("pk", "sk", "b0", "up", "seen", "hb", "mt", "rc", "rs",
            "rh", "rx", "js", "jf", "jt");
    private static final int READING_BYTES = 21;
    private static final MinerStatus[] STATUSES = MinerStatus.values();

    private final BucketGrid grid;
    private final Duration retention;

    public MinerHourCodec(BucketGrid grid, Duration retention) {
        this.grid = grid;
        this.retention = retention;
    }

    public static String partition(String minerId) {
        return "MINER#" + minerId;
    }

    public static String sortKey(Instant hour) {
        return "H#" + UtcTimes.format(hour);
    }

    /** The hour a sort key names. */
    public static Instant hourOf(String sortKey) {
        return Instant.parse(sortKey.substring(2));
    }

    @Override
    public Map<String, AttributeValue> key(MinerHourKey key) {
        return Map.of("pk", AttributeValue.fromS(partition(key.minerId())),
                "sk", AttributeValue.fromS(sortKey(key.hour())));
    }

    @Override
    public MinerHour decode(MinerHourKey key, Map<String, AttributeValue> item) {
        return decode(item, grid.firstBucketOfHour(key.hour()));
    }

    /** Decodes an item read by a query; the first bucket comes from the item. */
    public MinerHour decode(Map<String, AttributeValue> item) {
        return decode(item, grid.firstBucketOfHour(hourOf(item.get("sk").s())));
    }

    private static MinerHour decode(Map<String, AttributeValue> item, long fallbackFirstBucket) {
        long firstBucket = item.containsKey("b0") ? Long.parseLong(item.get("b0").n()) : fallbackFirstBucket;
        TreeMap<Integer, HeartbeatReading> readings = new TreeMap<>();
        if (item.containsKey("hb")) {
            ByteBuffer buffer = item.get("hb").b().asByteBuffer();
            while (buffer.remaining() >= READING_BYTES) {
                int offset = buffer.getInt();
                long time = buffer.getLong();
                int gpus = buffer.getInt();
                int free = buffer.getInt();
                MinerStatus status = STATUSES[buffer.get()];
                readings.put(offset, new HeartbeatReading(time, status, gpus, free));
            }
        }
        return new MinerHour(firstBucket, bits(item.get("up")), bits(item.get("seen")), readings, minutes(item));
    }

    /** The per-minute tallies, or the hour totals of an item in the shape before minutes were kept. */
    private static NavigableMap<Integer, MinuteTally> minutes(Map<String, AttributeValue> item) {
        AttributeValue tallies = item.get("mt");
        if (tallies != null && tallies.b() != null) {
            return MinuteTallyCodec.decode(tallies.b().asByteBuffer());
        }
        TreeMap<Integer, MinuteTally> minutes = new TreeMap<>();
        long count = number(item, "rc");
        ResponseTimes responses = count == 0 ? ResponseTimes.empty()
                : ResponseTimes.of(count, number(item, "rs"), histogram(item.get("rh")),
                item.containsKey("rx") ? longs(item.get("rx").b()) : null);
        MinuteTally hour = new MinuteTally(responses, number(item, "js"), number(item, "jf"), number(item, "jt"));
        if (count > 0 || hour.jobs() > 0) {
            minutes.put(MinerHour.WHOLE_HOUR, hour);
        }
        return minutes;
    }

    @Override
    public Map<String, AttributeValue> encode(MinerHourKey key, MinerHour state) {
        Map<String, AttributeValue> attributes = new HashMap<>();
        attributes.put("b0", AttributeValue.fromN(Long.toString(state.firstBucket())));
        attributes.put("up", AttributeValue.fromB(SdkBytes.fromByteArray(state.up().toByteArray())));
        attributes.put("seen", AttributeValue.fromB(SdkBytes.fromByteArray(state.seen().toByteArray())));
        ByteBuffer readings = ByteBuffer.allocate(state.readings().size() * READING_BYTES);
        state.readings().forEach((offset, reading) -> readings.putInt(offset).putLong(reading.timeMillis())
                .putInt(reading.gpus()).putInt(reading.gpusFree()).put((byte) reading.status().ordinal()));
        attributes.put("hb", AttributeValue.fromB(SdkBytes.fromByteArray(readings.array())));
        attributes.put("mt", AttributeValue.fromB(SdkBytes.fromByteArray(MinuteTallyCodec.encode(state.minutes()))));
        attributes.put("ttl", AttributeValue.fromN(Long.toString(
                key.hour().plusSeconds(BucketGrid.HOUR_SECONDS).plus(retention).getEpochSecond())));
        return attributes;
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    private static BitSet bits(AttributeValue value) {
        return value == null || value.b() == null ? new BitSet() : BitSet.valueOf(value.b().asByteArray());
    }

    private static long[] longs(SdkBytes bytes) {
        ByteBuffer buffer = bytes.asByteBuffer();
        long[] values = new long[buffer.remaining() / Long.BYTES];
        buffer.asLongBuffer().get(values);
        return values;
    }

    private static Map<Integer, Long> histogram(AttributeValue value) {
        Map<Integer, Long> histogram = new HashMap<>();
        if (value == null || value.s() == null || value.s().isEmpty()) {
            return histogram;
        }
        for (String pair : value.s().split(",")) {
            int colon = pair.indexOf(':');
            String index = pair.substring(0, colon);
            histogram.put("z".equals(index) ? ResponseTimes.ZERO_INDEX : Integer.parseInt(index),
                    Long.parseLong(pair.substring(colon + 1)));
        }
        return histogram;
    }
}
