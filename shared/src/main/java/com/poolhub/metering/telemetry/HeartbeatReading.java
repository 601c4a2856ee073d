package com.poolhub.metering.telemetry;

import java.util.Comparator;

/**
 * The heartbeat that speaks for one bucket: the latest by event time (ties broken by the other
 * fields, so the choice does not depend on arrival order).
 *
 * @param timeMillis the heartbeat's own time, epoch milliseconds
 */
public record HeartbeatReading(long timeMillis, MinerStatus status, int gpus, int gpusFree) {
    static final Comparator<HeartbeatReading> LATEST = Comparator.comparingLong(HeartbeatReading::timeMillis)
            .thenComparingInt(HeartbeatReading::gpus)
            .thenComparingInt(HeartbeatReading::gpusFree)
            .thenComparing(HeartbeatReading::status);

    /** The later of two readings. */
    public static HeartbeatReading later(HeartbeatReading a, HeartbeatReading b) {
        if (a == null) {
            return b;
        }
        return LATEST.compare(a, b) >= 0 ? a : b;
    }
}
