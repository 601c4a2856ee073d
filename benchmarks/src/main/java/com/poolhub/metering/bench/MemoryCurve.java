package com.poolhub.metering.bench;

import java.util.List;

/**
 * Lambda's cost and latency by memory size for one function, modelled from CPU and wall time measured
 * here (Lambda itself cannot be measured here). Lambda gives a function CPU in proportion to its
 * memory, one vCPU at 1,769 MB (its documented figure); the handlers run their work on one thread, so
 * the CPU part of a duration scales with {@code 1769 / memory} below one vCPU and stays flat above,
 * while the wait for DynamoDB and EventBridge (wall minus CPU) does not scale. A fresh JVM's start is
 * counted as CPU throughout (its compiler and collector threads share the same vCPU share). Price: arm64
 * in us-east-1, USD 0.0000133334 per GB-second and 0.20 per million requests.
 */
record MemoryCurve(double coldCpuMs, double coldWaitMs, double warmCpuMs, double warmWaitMs, boolean waitedOn) {
    static final List<Integer> SIZES = List.of(256, 512, 768, 1024, 1536, 1769, 2048, 3008);
    static final double ONE_VCPU_MB = 1769;
    static final double USD_PER_GB_SECOND = 0.0000133334;
    static final double USD_PER_REQUEST = 0.20 / 1e6;
    /** Below this the JVM's heap and the SDK's buffers leave too little room (Lambda's own Java guidance). */
    static final int FLOOR_MB = 512;
    /** A size is as fast as it needs to be when more memory would cut its modelled time by less than this. */
    static final double KNEE = 1.2;

    static double duration(double cpuMs, double waitMs, int memoryMb) {
        return waitMs + cpuMs / Math.min(1.0, memoryMb / ONE_VCPU_MB);
    }

    double cold(int memoryMb) {
        return duration(coldCpuMs, coldWaitMs, memoryMb);
    }

    double warm(int memoryMb) {
        return duration(warmCpuMs, warmWaitMs, memoryMb);
    }

    /** USD per million warm invocations. */
    double warmUsdPerMillion(int memoryMb) {
        return 1e6 * (warm(memoryMb) / 1000 * memoryMb / 1024 * USD_PER_GB_SECOND + USD_PER_REQUEST);
    }

    /**
     * The size to deploy: for a function a caller waits on (API routes, the authorizer), the smallest
     * whose cold and warm times are both within {@link #KNEE} of what one full vCPU gives; for the rest
     * (streams, schedules, operator tools), the cheapest per warm invocation. Never below {@link #FLOOR_MB}.
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
                if (cold(size) <= KNEE * cold(full) && warm(size) <= KNEE * warm(full)) {
                    return size;
                }
            } else if (warmUsdPerMillion(size) < cheapest - 1e-9) {
                cheapest = warmUsdPerMillion(size);
                best = size;
            }
        }
        return waitedOn ? (int) ONE_VCPU_MB : best;
    }
}
