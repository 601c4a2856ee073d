package com.poolhub.metering.quota;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuotaPeriodTest {
    @Test
    void periods_startAndResetOnUtcBoundaries() {
        Instant t = Instant.parse("2028-02-29T23:59:59.999Z");
        assertEquals(Instant.parse("2028-02-29T23:00:00Z"), QuotaPeriod.HOUR.start(t));
        assertEquals(Instant.parse("2028-03-01T00:00:00Z"), QuotaPeriod.HOUR.resetAt(t));
        assertEquals(Instant.parse("2028-02-29T00:00:00Z"), QuotaPeriod.DAY.start(t));
        assertEquals(Instant.parse("2028-03-01T00:00:00Z"), QuotaPeriod.DAY.resetAt(t));
        assertEquals(Instant.parse("2028-02-01T00:00:00Z"), QuotaPeriod.MONTH.start(t));
        assertEquals(Instant.parse("2028-03-01T00:00:00Z"), QuotaPeriod.MONTH.resetAt(t));
    }

    @Test
    void resetAt_isTheStartOfTheNextPeriod() {
        Instant reset = QuotaPeriod.MONTH.resetAt(Instant.parse("2026-12-31T12:00:00Z"));
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), reset);
        assertEquals(reset, QuotaPeriod.MONTH.start(reset));
    }
}
