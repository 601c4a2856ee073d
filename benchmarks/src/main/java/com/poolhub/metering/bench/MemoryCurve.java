package com.poolhub.metering.bench;

import java.util.List;

/**
 * Lambda's cost and latency by memory size for one function, modelled from CPU and wall time measured
 * here (Lambda itself cannot be measured here). Lambda gives a function CPU in proportion to its
 * memory, one vCPU at 1,769 MB (its documented figure); the handlers run their work on one thread, so
 * the CPU part of a duration scales with {@code 1769 / memory} below one vCPU and stays flat above,
 * while the wait for DynamoDB and EventBridge (wall minus CPU) does not scale. The cold figure is the
 * first event after a SnapStart restore (the template turns SnapStart on), counted as CPU throughout;
 * an invocation is expected to be cold {@link #COLD_SHARE} of the time. Price: arm64 in us-east-1, USD
 * 0.0000133334 per GB-second and 0.20 per million requests.
 */
record MemoryCurve(double coldCpuMs, double coldWaitMs, double warmCpuMs, double warmWaitMs, boolean waitedOn) {
    static final List<Integer> SIZES = List.of(256, 512, 768, 1024, 1536, 1769, 2048, 3008);
    static final double ONE_VCPU_MB = 1769;
    static final double USD_PER_GB_SECOND = 0.0000133334;
    static final double USD_PER_REQUEST = 0.20 / 1e6;
    /** Below this the JVM's heap and the SDK's buffers leave too little room (Lambda's own Java guidance). */
    static final int FLOOR_MB = 512;
    /** A size is as fast as it needs to be when more memory would cut its expected time by less than this. */
    static final double KNEE = 1.2;
    /** The share of invocations that land on a new (restored) execution environment. */
    static final double COLD_SHARE = 0.01;

    static double duration(double cpuMs, double waitMs, int memoryMb) {
        return waitMs + cpuMs / Math.min(1.0, memoryMb / ONE_VCPU_MB);
    }

    double cold(int memoryMb) {
        return duration(coldCpuMs, coldWaitMs, memoryMb);
    }

    double warm(int memoryMb) {
        return duration(warmCpuMs, warmWaitMs, memoryMb);
    }

    /** The expected duration of one invocation: warm, and cold {@link #COLD_SHARE} of the time. */
    double expected(int memoryMb) {
        return warm(memoryMb) + COLD_SHARE * cold(memoryMb);
    }

    /** USD per million invocations at the expected duration. */
    double usdPerMillion(int memoryMb) {
        return 1e6 * (expected(memoryMb) / 1000 * memoryMb / 1024 * USD_PER_GB_SECOND + USD_PER_REQUEST);
    }

    /**
     * The size to deploy: for a function a caller waits on (API routes, the authorizer), the smallest
     * whose expected time is within {@link #KNEE} of what one full vCPU gives; for the rest (streams,
     * schedules, operator tools), the cheapest per invocation. Never below {@link #FLOOR_MB}.
     */
    int pick() {
        int best = SIZES.get(SIZES.size() - 1);
        double cheapest = Double.MAX_VALUE;
        for (int size : SIZES) {
            if (size < FLOOR_MB) {
                continue;
            }
            if (waitedOn) {
                int full = (int) ONE_VCPU_MB;
                if (expected(size) <= KNEE * expected(full)) {
                    return size;
                }
            } else if (usdPerMillion(size) < cheapest - 1e-9) {
                cheapest = usdPerMillion(size);
                best = size;
            }
        }
        return waitedOn ? (int) ONE_VCPU_MB : best;
    }
}
