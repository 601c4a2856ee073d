package com.poolhub.metering.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.JobOutcome;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.TelemetryEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Response time and completion count exactly the events of {@code [start, end)} by event time, for
 * windows not on the hour, shorter than an hour and spanning many hours: the edge hours contribute
 * only their minutes inside the window.
 */
class SlaWindowEdgesTest {
    private static final BucketGrid GRID = new BucketGrid(60);
    private static final SlaCalculator CALCULATOR = new SlaCalculator(GRID);
    private static final Instant T = Instant.parse("2026-11-22T10:00:00Z");

    private long ids;

    private TelemetryEvent.Match match(Instant t, long micros) {
        return new TelemetryEvent.Match(++ids, "m", t, "job-" + ids, micros);
    }

    private TelemetryEvent.Job job(Instant t, JobOutcome outcome) {
        return new TelemetryEvent.Job(++ids, "m", t, "job-" + ids, outcome);
    }

    private static MinerMetrics evaluate(List<TelemetryEvent> events, SlaWindow window) {
        return CALCULATOR.evaluate(SlaCalculatorTest.fold(GRID, events, null), window);
    }

    /** Slow failures just outside the window on both sides, fast successes just inside. */
    private List<TelemetryEvent> edges(SlaWindow window) {
        Instant start = window.start();
        Instant end = window.end();
        List<TelemetryEvent> events = new ArrayList<>();
        for (Instant outside : List.of(start.minusSeconds(60), start.minusSeconds(1), start.minusMillis(1), end,
                end.plusSeconds(1))) {
            events.add(match(outside, 9_000_000));
            events.add(job(outside, JobOutcome.FAILED));
        }
        for (Instant inside : List.of(start, start.plusMillis(1), end.minusSeconds(1), end.minusMillis(1))) {
            events.add(match(inside, 200_000));
            events.add(job(inside, JobOutcome.SUCCEEDED));
        }
        return events;
    }

    private void assertOnlyTheInsideEvents(SlaWindow window) {
        MinerMetrics metrics = evaluate(edges(window), window);
        assertEquals(4, metrics.responses(), "matches counted in " + window);
        assertEquals(800_000, metrics.responseSumMicros());
        assertEquals(new BigDecimal("200.000"), metrics.responseMeanMs());
        assertEquals(new BigDecimal("200.000"), metrics.responseP99Ms());
        assertTrue(metrics.percentilesExact());
        assertEquals(4, metrics.succeeded());
        assertEquals(0, metrics.failed());
        assertEquals(0, new BigDecimal("100").compareTo(metrics.completionPct()));
        assertEquals(List.of(), SlaThresholds.DEFAULTS.violations(metrics).stream()
                .filter(v -> v.metric() != SlaMetric.UPTIME).toList());
    }

    @Test
    void anHourLongWindowNotStartingOnTheHour_excludesEventsBeforeStartAndAtEnd() {
        assertOnlyTheInsideEvents(new SlaWindow(T.plusSeconds(17 * 60), T.plusSeconds(77 * 60)));
    }

    @Test
    void aFiveMinuteWindow_countsOnlyItsFiveMinutes() {
        assertOnlyTheInsideEvents(new SlaWindow(T.plusSeconds(20 * 60), T.plusSeconds(25 * 60)));
        SlaWindow collection = SlaWindow.endingAt(T.plusSeconds(25 * 60 + 10), Duration.ofMinutes(5), GRID);
        assertEquals(T.plusSeconds(20 * 60), collection.start());
        assertOnlyTheInsideEvents(collection);
    }

    @Test
    void aFiveMinuteWindowOnTheHour_countsNothingOfTheHourBefore() {
        assertOnlyTheInsideEvents(new SlaWindow(T, T.plusSeconds(5 * 60)));
    }

    @Test
    void aPt24hWindowEndingMidHour_excludesTheFirstHoursMinutesBeforeItsStart() {
        SlaWindow window = SlaWindow.endingAt(Instant.parse("2026-11-23T10:17:30Z"), Duration.ofHours(24), GRID);
        assertEquals(Instant.parse("2026-11-22T10:17:00Z"), window.start());
        assertOnlyTheInsideEvents(window);
    }

    @Test
    void aWindowStartingMidMinute_countsTheCompleteMinutesInsideIt() {
        SlaWindow window = new SlaWindow(T.plusSeconds(17 * 60 + 30), T.plusSeconds(42 * 60 + 30));
        List<TelemetryEvent> events = List.of(match(T.plusSeconds(17 * 60 + 29), 9_000_000),
                match(T.plusSeconds(17 * 60 + 45), 7_000_000), match(T.plusSeconds(18 * 60), 100_000),
                match(T.plusSeconds(41 * 60 + 59), 300_000), match(T.plusSeconds(42 * 60 + 10), 8_000_000));
        MinerMetrics metrics = evaluate(events, window);
        assertEquals(2, metrics.responses());
        assertEquals(new BigDecimal("200.000"), metrics.responseMeanMs());
    }

    @Test
    void aWindowWithNoEventInside_hasNoResponseTimeAndNoCompletion() {
        SlaWindow window = new SlaWindow(T.plusSeconds(20 * 60), T.plusSeconds(25 * 60));
        List<TelemetryEvent> events = List.of(match(T.plusSeconds(19 * 60 + 59), 9_000_000),
                job(T.plusSeconds(25 * 60), JobOutcome.TIMED_OUT));
        MinerMetrics metrics = evaluate(events, window);
        assertEquals(0, metrics.responses());
        assertNull(metrics.responseMeanMs());
        assertNull(metrics.completionPct());
    }

    @Test
    void manyHourWindows_equalTheEventTimeFilter_andTheWholeHourSumWhenAligned() {
        Random random = new Random(7);
        List<TelemetryEvent> events = new ArrayList<>();
        Instant from = T.minus(Duration.ofHours(2));
        for (int i = 0; i < 3000; i++) {
            Instant t = from.plusMillis((long) (random.nextDouble() * Duration.ofHours(30).toMillis()));
            events.add(random.nextBoolean() ? match(t, 1000 + random.nextInt(2_000_000))
                    : job(t, JobOutcome.values()[random.nextInt(3)]));
        }
        MinerHistory history = SlaCalculatorTest.fold(GRID, events, null);

        SlaWindow aligned = new SlaWindow(T, T.plus(Duration.ofHours(24)));
        MinerMetrics whole = CALCULATOR.evaluate(history, aligned);
        long count = 0;
        long sum = 0;
        long succeeded = 0;
        for (MinerHour hour : history.hours().subMap(aligned.start(), true, aligned.end(), false).values()) {
            count += hour.responses().count();
            sum += hour.responses().sumMicros();
            succeeded += hour.succeeded();
        }
        assertEquals(count, whole.responses());
        assertEquals(sum, whole.responseSumMicros());
        assertEquals(succeeded, whole.succeeded());
        assertExpected(events, aligned, whole);

        for (int shift : new int[] {1, 17, 59, 61, 7 * 60 + 3}) {
            SlaWindow shifted = new SlaWindow(aligned.start().plusSeconds(shift * 60L), aligned.end().plusSeconds(shift * 60L));
            assertExpected(events, shifted, CALCULATOR.evaluate(history, shifted));
        }
        SlaWindow short17 = new SlaWindow(T.plusSeconds(43 * 60), T.plusSeconds(60 * 60 + 17 * 60));
        assertExpected(events, short17, CALCULATOR.evaluate(history, short17));
    }

    /** Compares the figures with a direct count of the raw events in {@code [start, end)}. */
    private static void assertExpected(List<TelemetryEvent> events, SlaWindow window, MinerMetrics metrics) {
        List<Long> responses = new ArrayList<>();
        long[] outcomes = new long[3];
        for (TelemetryEvent event : events) {
            if (event.time().isBefore(window.start()) || !event.time().isBefore(window.end())) {
                continue;
            }
            if (event instanceof TelemetryEvent.Match match) {
                responses.add(match.responseMicros());
            } else {
                outcomes[((TelemetryEvent.Job) event).outcome().ordinal()]++;
            }
        }
        long[] sorted = responses.stream().mapToLong(Long::longValue).sorted().toArray();
        String where = " in " + window;
        assertEquals(sorted.length, metrics.responses(), "matches" + where);
        assertEquals(Arrays.stream(sorted).sum(), metrics.responseSumMicros(), "response sum" + where);
        assertEquals(outcomes[0], metrics.succeeded(), "succeeded" + where);
        assertEquals(outcomes[1], metrics.failed(), "failed" + where);
        assertEquals(outcomes[2], metrics.timedOut(), "timed out" + where);
        assertEquals(BigDecimal.valueOf(Arrays.stream(sorted).sum())
                .divide(BigDecimal.valueOf(sorted.length), 0, RoundingMode.HALF_EVEN).movePointLeft(3)
                .setScale(3, RoundingMode.UNNECESSARY), metrics.responseMeanMs());
        if (metrics.percentilesExact()) {
            long rank = (sorted.length * 95L + 99) / 100;
            assertEquals(BigDecimal.valueOf(sorted[(int) rank - 1]).movePointLeft(3).setScale(3), metrics.responseP95Ms());
        }
    }
}
