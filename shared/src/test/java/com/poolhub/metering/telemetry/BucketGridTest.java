package com.poolhub.metering.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketGridTest {
    static final Instant DAY = Instant.parse("2026-11-22T00:00:00Z");

    @Test
    void everyBucketIsFiledUnderExactlyOneHour_forIntervalsThatDoNotDivideAnHour() {
        for (int interval : new int[] {1, 7, 45, 60, 420, 3600, 5000, 7200}) {
            BucketGrid grid = new BucketGrid(interval);
            long total = 0;
            for (int h = 0; h < 24 * 7; h++) {
                Instant hour = DAY.plusSeconds(h * 3600L);
                int n = grid.bucketsInHour(hour);
                for (int i = 0; i < n; i++) {
                    assertEquals(hour, grid.hourOf(grid.firstBucketOfHour(hour) + i), "interval " + interval);
                }
                total += n;
            }
            long expected = grid.firstBucketFrom(DAY.plusSeconds(7 * 86400L)) - grid.firstBucketFrom(DAY);
            assertEquals(expected, total, "interval " + interval);
        }
    }

    @Test
    void bucketOf_isFloorOfEpochSecondsOverInterval() {
        BucketGrid grid = new BucketGrid(60);
        assertEquals(DAY.getEpochSecond() / 60, grid.bucketOf(DAY.plusSeconds(59)));
        assertEquals(DAY.getEpochSecond() / 60 + 1, grid.bucketOf(DAY.plusSeconds(60)));
    }
}
