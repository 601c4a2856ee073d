package com.poolhub.metering.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MemoryCurveTest {
    @Test
    void cpuScalesWithMemoryBelowOneVcpu_andStaysFlatAbove_whileTheWaitDoesNot() {
        assertEquals(10 + 100 * 1769.0 / 512, MemoryCurve.duration(100, 10, 512), 1e-9);
        assertEquals(110, MemoryCurve.duration(100, 10, 1769), 1e-9);
        assertEquals(110, MemoryCurve.duration(100, 10, 3008), 1e-9);
    }

    @Test
    void aWaitedOnFunctionWhoseTimeIsCpu_getsTheSmallestSizeWithinTheKneeOfAFullVcpu() {
        // all CPU: 1769/1536 = 1.15x a full vCPU, 1769/1024 = 1.73x
        assertEquals(1536, new MemoryCurve(500, 0, 20, 0, true).pick());
    }

    @Test
    void aWaitedOnFunctionThatMostlyWaits_getsLess() {
        // 5 ms CPU and 95 ms waiting: 512 MB makes it 112 ms against 100 ms
        assertEquals(512, new MemoryCurve(50, 0, 5, 95, true).pick());
    }

    @Test
    void aFunctionNoOneWaitsOn_getsTheCheapest_whichBelowOneVcpuIsTheFloor() {
        MemoryCurve curve = new MemoryCurve(2000, 0, 400, 50, false);
        assertEquals(MemoryCurve.FLOOR_MB, curve.pick());
        assertTrue(curve.usdPerMillion(512) < curve.usdPerMillion(1024));
    }

    @Test
    void thePrice_isGigabyteSecondsOfTheExpectedDurationPlusTheRequest() {
        MemoryCurve curve = new MemoryCurve(1000, 0, 100, 0, false);
        double expectedMs = 100 + 0.01 * 1000; // at 1769 MB: no CPU slow-down
        double usd = expectedMs / 1000 * 1769 / 1024.0 * 0.0000133334 + 0.20 / 1e6;
        assertEquals(usd * 1e6, curve.usdPerMillion(1769), 1e-9);
    }
}
