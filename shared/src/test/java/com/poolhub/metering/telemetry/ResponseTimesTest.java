package com.poolhub.metering.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseTimesTest {
    @Test
    void percentiles_whileValuesAreHeld_areExactNearestRank() {
        ResponseTimes times = ResponseTimes.empty();
        for (int ms = 100; ms >= 1; ms--) {
            times = times.plus(ms * 1000L);
        }
        assertTrue(times.isExact());
        assertEquals(new BigDecimal("95.000"), times.percentileMs(95));
        assertEquals(new BigDecimal("99.000"), times.percentileMs(99));
        assertEquals(new BigDecimal("50.500"), times.meanMs());
    }

    @Test
    void noValues_giveNullFigures() {
        assertNull(ResponseTimes.empty().meanMs());
        assertNull(ResponseTimes.empty().percentileMs(95));
    }

    @Test
    void percentiles_pastTheExactLimit_comeFromTheHistogramWithinOnePercent() {
        Random random = new Random(3);
        long[] values = new long[6_000];
        ResponseTimes hourA = ResponseTimes.empty();
        ResponseTimes hourB = ResponseTimes.empty();
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.round(Math.exp(6 + 2 * random.nextGaussian()) * 1000);
            if (i % 2 == 0) {
                hourA = hourA.plus(values[i]);
            } else {
                hourB = hourB.plus(values[i]);
            }
        }
        ResponseTimes merged = hourA.merge(hourB);
        assertFalse(merged.isExact());
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int p : new int[] {50, 95, 99}) {
            long truth = sorted[(int) Math.ceil(p / 100.0 * sorted.length) - 1];
            double estimate = merged.percentileMs(p).movePointRight(3).doubleValue();
            assertTrue(Math.abs(estimate - truth) <= ResponseTimes.RELATIVE_ERROR * truth + 1,
                    "p" + p + " estimate " + estimate + " vs " + truth);
        }
        assertEquals(Arrays.stream(values).sum(), merged.sumMicros());
    }

    @Test
    void merge_ofExactHours_staysExact() {
        ResponseTimes a = ResponseTimes.empty().plus(5_000).plus(1_000);
        ResponseTimes b = ResponseTimes.empty().plus(3_000);
        ResponseTimes merged = a.merge(b);
        assertTrue(merged.isExact());
        assertEquals(new BigDecimal("5.000"), merged.percentileMs(99));
        assertEquals(new BigDecimal("3.000"), merged.percentileMs(50));
        assertEquals(0, merged.percentileMs(1).compareTo(new BigDecimal("1")));
    }
}
