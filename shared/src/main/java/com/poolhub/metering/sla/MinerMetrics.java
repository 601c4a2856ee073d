package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One miner's SLA figures over a window (CONTRACT §2), with the counts they come from so that
 * thresholds are compared exactly. Null figures mean "no data" (no heartbeat, no match, no job).
 *
 * @param upBuckets          buckets with a heartbeat not OFFLINE
 * @param expectedBuckets    buckets from max(start, first heartbeat) to the end
 * @param responseSumMicros  exact sum of response times
 * @param percentilesExact   false when p95/p99 come from the histogram (within 1 %)
 * @param upNow              whether the miner is up in the window's last complete bucket
 * @param gpus               its GPU count at the window's last complete bucket, or null when unknown
 * @param gpusFree           its free GPUs at the last bucket when up there, else null
 * @param upGpuBuckets       Σ over buckets of its GPUs while up (capacity numerator share)
 * @param knownGpuBuckets    Σ over buckets of its GPUs while known (capacity denominator share)
 */
public record MinerMetrics(String minerId, Instant windowStart, Instant windowEnd,
                           long upBuckets, long expectedBuckets, BigDecimal uptimePct,
                           long responses, long responseSumMicros, BigDecimal responseMeanMs, BigDecimal responseP95Ms,
                           BigDecimal responseP99Ms, boolean percentilesExact,
                           long succeeded, long failed, long timedOut, BigDecimal completionPct,
                           boolean upNow, Integer gpus, Integer gpusFree, long upGpuBuckets, long knownGpuBuckets) {

    public long jobs() {
        return succeeded + failed + timedOut;
    }
}
