package com.poolhub.metering.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.MinerStatus;
import com.poolhub.metering.telemetry.TelemetryAggregation;
import com.poolhub.metering.telemetry.TelemetryEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SlaCalculatorTest {
    static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

    static MinerHistory fold(BucketGrid grid, List<TelemetryEvent> events, Instant firstHeartbeat) {
        TelemetryAggregation aggregation = new TelemetryAggregation(grid);
        Map<MinerHourKey, MinerHour> hours = new HashMap<>();
        for (TelemetryEvent event : events) {
            MinerHourKey key = aggregation.keyOf(event);
            hours.put(key, aggregation.add(hours.getOrDefault(key, aggregation.empty(key)), event));
        }
        TreeMap<Instant, MinerHour> byHour = new TreeMap<>();
        hours.forEach((key, hour) -> byHour.put(key.hour(), hour));
        return new MinerHistory("m", firstHeartbeat, null, byHour);
    }

    static TelemetryEvent.Heartbeat heartbeat(Instant t, MinerStatus status, int gpus) {
        return new TelemetryEvent.Heartbeat(t.toEpochMilli(), "m", t, status, gpus, 0);
    }

    @Test
    void uptime_withAnIntervalThatDoesNotDivideAnHour_countsBucketsAcrossHourEdges() {
        BucketGrid grid = new BucketGrid(420);
        SlaWindow window = new SlaWindow(START, START.plus(Duration.ofHours(10)));
        List<TelemetryEvent> events = new ArrayList<>();
        long first = window.startBucket(grid);
        long end = window.endBucket(grid);
        long up = 0;
        for (long b = first; b < end; b++) {
            if (b % 5 == 0) {
                continue;
            }
            MinerStatus status = b % 7 == 0 ? MinerStatus.OFFLINE : MinerStatus.BUSY;
            events.add(heartbeat(grid.startOf(b).plusSeconds(419), status, 2));
            if (status.isUp()) {
                up++;
            }
        }
        MinerMetrics metrics = new SlaCalculator(grid).evaluate(fold(grid, events, START), window);
        assertEquals(up, metrics.upBuckets());
        assertEquals(end - first, metrics.expectedBuckets());
    }

    @Test
    void capacity_carriesTheLatestGpuCountForward_andStartsAtTheFirstHeartbeat() {
        BucketGrid grid = new BucketGrid(60);
        SlaWindow window = new SlaWindow(START, START.plus(Duration.ofHours(2)));
        Instant joined = START.plus(Duration.ofMinutes(30));
        List<TelemetryEvent> events = List.of(
                heartbeat(joined.plusSeconds(10), MinerStatus.ONLINE, 4),
                heartbeat(joined.plus(Duration.ofMinutes(10)), MinerStatus.OFFLINE, 8),
                heartbeat(joined.plus(Duration.ofMinutes(50)), MinerStatus.ONLINE, 2));
        MinerMetrics m = new SlaCalculator(grid).evaluate(fold(grid, events, joined), window);
        assertEquals(90, m.expectedBuckets());
        assertEquals(2, m.upBuckets());
        assertEquals(new BigDecimal("2.222"), m.uptimePct());
        assertEquals(10 * 4 + 40 * 8 + 40 * 2, m.knownGpuBuckets());
        assertEquals(4 + 2, m.upGpuBuckets());
        assertNull(m.completionPct());
        assertNull(m.responseMeanMs());
    }

    @Test
    void snapshot_whenTheWindowEndsSecondsIntoABucketWithoutAHeartbeatYet_usesTheLastCompleteBucket() {
        BucketGrid grid = new BucketGrid(60);
        List<TelemetryEvent> events = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            Instant t = START.plus(Duration.ofMinutes(minute)).plusSeconds(20);
            events.add(new TelemetryEvent.Heartbeat(t.toEpochMilli(), "m", t, MinerStatus.BUSY, 4, 1));
        }
        SlaWindow window = new SlaWindow(START, START.plus(Duration.ofHours(1)).plusSeconds(5));

        MinerMetrics m = new SlaCalculator(grid).evaluate(fold(grid, events, START), window);
        PoolMetrics pool = new PoolMetrics.Builder(window).add(m).build();

        assertEquals(60, m.expectedBuckets());
        assertEquals(60, m.upBuckets());
        assertEquals(new BigDecimal("100.000"), m.uptimePct());
        assertEquals(60 * 4, m.knownGpuBuckets());
        assertEquals(new BigDecimal("100.000"), pool.capacityAvailabilityPct());
        assertEquals(1, pool.minersUp());
        assertEquals(4, pool.gpusUp());
        assertEquals(new BigDecimal("75.000"), pool.utilisationPct());
    }

    @Test
    void window_shorterThanABucketInsideOneBucket_countsNoBucket() {
        BucketGrid grid = new BucketGrid(60);
        Instant t = START.plusSeconds(10);
        List<TelemetryEvent> events = List.of(heartbeat(t, MinerStatus.ONLINE, 2));
        SlaWindow window = new SlaWindow(START.plusSeconds(5), START.plusSeconds(50));

        MinerMetrics m = new SlaCalculator(grid).evaluate(fold(grid, events, t), window);

        assertEquals(0, m.expectedBuckets());
        assertNull(m.uptimePct());
        assertEquals(false, m.upNow());
    }

    @Test
    void thresholds_areComparedExactly_notOnRoundedFigures() {
        MinerMetrics justUnder = new MinerMetrics("m", START, START, 189_999, 200_000, new BigDecimal("95.000"),
                3, 3_000_001, new BigDecimal("1000.000"), null, null, true, 9, 1, 0, new BigDecimal("90.000"),
                false, null, null, 0, 0);
        List<Violation> found = SlaThresholds.DEFAULTS.violations(justUnder);
        assertEquals(List.of(SlaMetric.UPTIME, SlaMetric.RESPONSE_TIME), found.stream().map(Violation::metric).toList());
    }
}
