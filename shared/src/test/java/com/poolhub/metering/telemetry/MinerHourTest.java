package com.poolhub.metering.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Per-minute tallies of a miner hour: ranges of minutes, and the hour-wide exact-value limit. */
class MinerHourTest {
    private static MinerHour[] parts(int values, long seed) {
        Random random = new Random(seed);
        MinerHour all = MinerHour.empty(0);
        MinerHour even = MinerHour.empty(0);
        MinerHour odd = MinerHour.empty(0);
        for (int i = 0; i < values; i++) {
            int minute = random.nextInt(60);
            long micros = random.nextInt(1_000_000);
            all = all.withResponse(minute, micros).withOutcome(minute, JobOutcome.SUCCEEDED);
            if (i % 2 == 0) {
                even = even.withResponse(minute, micros).withOutcome(minute, JobOutcome.SUCCEEDED);
            } else {
                odd = odd.withResponse(minute, micros).withOutcome(minute, JobOutcome.SUCCEEDED);
            }
        }
        return new MinerHour[] {all, even, odd};
    }

    @Test
    void exactValues_areKeptWhileTheHourHoldsAtMostTheLimit_whateverTheOrder() {
        MinerHour[] small = parts(ResponseTimes.EXACT_LIMIT, 1);
        assertTrue(small[0].responses().isExact());
        assertEquals(small[0], small[1].merge(small[2]));
        assertEquals(small[0], small[2].merge(small[1]));

        MinerHour[] large = parts(ResponseTimes.EXACT_LIMIT + 1, 2);
        assertFalse(large[0].responses().isExact());
        assertFalse(large[0].tally(0, 1).responses().isExact(), "one minute keeps no exact values either");
        assertEquals(large[0], large[1].merge(large[2]));
    }

    @Test
    void aRangeOfMinutes_sumsOnlyThoseMinutes() {
        MinerHour hour = MinerHour.empty(0).withResponse(0, 10).withResponse(29, 20).withResponse(30, 40)
                .withOutcome(59, JobOutcome.FAILED);
        assertEquals(2, hour.tally(0, 30).responses().count());
        assertEquals(60, hour.tally(29, 31).responses().sumMicros());
        assertEquals(0, hour.tally(30, 59).failed());
        assertEquals(1, hour.tally(59, 60).failed());
        assertEquals(0, hour.tally(5, 5).responses().count());
        assertThrows(IllegalArgumentException.class, () -> hour.withResponse(60, 1));
        assertThrows(IllegalArgumentException.class, () -> hour.tally(0, 61));
    }
}
