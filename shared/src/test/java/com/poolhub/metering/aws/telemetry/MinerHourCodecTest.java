package com.poolhub.metering.aws.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.dynamodb.ledger.AttributeSizes;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.sla.MinerHistory;
import com.poolhub.metering.sla.MinerMetrics;
import com.poolhub.metering.sla.SlaCalculator;
import com.poolhub.metering.sla.SlaWindow;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.JobOutcome;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.MinerStatus;
import com.poolhub.metering.telemetry.TelemetryAggregation;
import com.poolhub.metering.telemetry.TelemetryEvent;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Miner-hour items keep per-minute tallies compactly, and items of the shape before still read. */
class MinerHourCodecTest {
    private static final BucketGrid GRID = new BucketGrid(60);
    private static final Instant HOUR = Instant.parse("2026-11-22T10:00:00Z");
    private static final MinerHourKey KEY = new MinerHourKey("m", HOUR);
    private static final MinerHourCodec CODEC = new MinerHourCodec(GRID, Duration.ofDays(35));
    private static final TelemetryAggregation AGGREGATION = new TelemetryAggregation(GRID);

    /** An hour with a heartbeat a minute and the given numbers of matches and job outcomes. */
    private static MinerHour busyHour(int matches, int jobs, long seed) {
        Random random = new Random(seed);
        MinerHour hour = AGGREGATION.empty(KEY);
        for (int minute = 0; minute < 60; minute++) {
            Instant t = HOUR.plusSeconds(minute * 60L + 5);
            hour = AGGREGATION.add(hour, new TelemetryEvent.Heartbeat(minute, "m", t, MinerStatus.BUSY, 8, 1));
        }
        for (int i = 0; i < matches; i++) {
            Instant t = HOUR.plusMillis(random.nextInt(3_600_000));
            long micros = Math.max(0, Math.round(Math.exp(12 + 0.8 * random.nextGaussian())));
            hour = AGGREGATION.add(hour, new TelemetryEvent.Match(i, "m", t, "j", micros));
        }
        for (int i = 0; i < jobs; i++) {
            Instant t = HOUR.plusMillis(random.nextInt(3_600_000));
            hour = AGGREGATION.add(hour, new TelemetryEvent.Job(i, "m", t, "j", JobOutcome.values()[random.nextInt(3)]));
        }
        return hour;
    }

    @Test
    void anHourWithExactValues_roundTrips() {
        MinerHour hour = busyHour(300, 200, 1);
        assertTrue(hour.responses().isExact());
        assertEquals(hour, CODEC.decode(KEY, CODEC.encode(KEY, hour)));
    }

    @Test
    void aBusyHourWithHistogramsOnly_roundTrips_andStaysFarBelowTheItemLimit() {
        MinerHour hour = busyHour(10_000, 10_000, 2);
        assertFalse(hour.responses().isExact());
        Map<String, AttributeValue> item = new HashMap<>(CODEC.encode(KEY, hour));
        assertEquals(hour, CODEC.decode(KEY, item));
        item.putAll(CODEC.key(KEY));
        int size = AttributeSizes.ofItem(item);
        System.out.printf("miner hour with 10000 matches and 10000 job outcomes: %d bytes (mt %d)%n", size,
                AttributeSizes.of(item.get("mt")));
        assertTrue(size < 40_000, "item of " + size + " bytes");
    }

    @Test
    void anItemOfTheShapeBeforeMinutes_readsAsAWholeHourTally_countedOnlyByWindowsCoveringTheHour() {
        Map<String, AttributeValue> item = new HashMap<>(CODEC.key(KEY));
        item.put("b0", AttributeValue.fromN(Long.toString(GRID.firstBucketOfHour(HOUR))));
        item.put("rc", AttributeValue.fromN("2"));
        item.put("rs", AttributeValue.fromN("3000000"));
        item.put("rh", AttributeValue.fromS("700:1,750:1"));
        ByteBuffer exact = ByteBuffer.allocate(16).putLong(1_000_000).putLong(2_000_000);
        item.put("rx", AttributeValue.fromB(SdkBytes.fromByteArray(exact.array())));
        item.put("js", AttributeValue.fromN("3"));
        item.put("jf", AttributeValue.fromN("1"));
        item.put("jt", AttributeValue.fromN("0"));
        MinerHour hour = CODEC.decode(item);
        assertEquals(2, hour.responses().count());
        assertEquals(3_000_000, hour.responses().sumMicros());
        assertEquals(3, hour.succeeded());
        assertEquals(1, hour.failed());
        assertEquals(0, hour.tally(0, 59).jobs());

        MinerHistory history = new MinerHistory("m", null, null, new TreeMap<>(Map.of(HOUR, hour)));
        SlaCalculator calculator = new SlaCalculator(GRID);
        MinerMetrics whole = calculator.evaluate(history, new SlaWindow(HOUR.minusSeconds(600), HOUR.plusSeconds(3600)));
        assertEquals(2, whole.responses());
        assertEquals(4, whole.jobs());
        MinerMetrics part = calculator.evaluate(history, new SlaWindow(HOUR.plusSeconds(300), HOUR.plusSeconds(3600)));
        assertEquals(0, part.responses());
        assertEquals(0, part.jobs());

        MinerHour merged = hour.merge(busyHour(5, 5, 3));
        assertEquals(merged, CODEC.decode(KEY, CODEC.encode(KEY, merged)));
        assertEquals(7, merged.responses().count());
    }

    @Test
    void ledgerDeltas_roundTrip_andDeltasOfTheShapeBeforeStillRead() {
        MinerHourLedgerCodec ledger = new MinerHourLedgerCodec(CODEC, Duration.ofDays(35), LedgerSettings.immediate());
        MinerHour delta = busyHour(40, 30, 4);
        AttributeValue encoded = ledger.encodeDelta(KEY, delta);
        assertFalse(encoded.m().containsKey("ttl"));
        assertEquals(delta, ledger.decodeDelta(KEY, encoded));

        Map<String, AttributeValue> before = Map.of("rc", AttributeValue.fromN("1"), "rs", AttributeValue.fromN("5"),
                "rh", AttributeValue.fromS("82:1"), "jt", AttributeValue.fromN("2"));
        MinerHour old = ledger.decodeDelta(KEY, AttributeValue.fromM(before));
        assertEquals(1, old.responses().count());
        assertEquals(2, old.timedOut());
        assertFalse(old.responses().isExact());
    }
}
