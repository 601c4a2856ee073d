package com.poolhub.metering.telemetry;

import java.time.Instant;

/**
 * One validated event of the {@code miner-telemetry} stream (CONTRACT §1.2): a heartbeat, a match
 * result or a job outcome of one miner, with the fingerprint of its {@code (source, id)}.
 */
public sealed interface TelemetryEvent permits TelemetryEvent.Heartbeat, TelemetryEvent.Match, TelemetryEvent.Job {
    long fingerprint();

    String minerId();

    Instant time();

    /** {@code miner.heartbeat.v1}: the miner's status and GPUs at {@code time}. */
    record Heartbeat(long fingerprint, String minerId, Instant time, MinerStatus status, int gpus, int gpusFree)
            implements TelemetryEvent {
    }

    /** {@code miner.match.v1}: how long the miner took to accept a matched job, in microseconds. */
    record Match(long fingerprint, String minerId, Instant time, String jobId, long responseMicros)
            implements TelemetryEvent {
    }

    /** {@code miner.job.v1}: how a job ended. */
    record Job(long fingerprint, String minerId, Instant time, String jobId, JobOutcome outcome)
            implements TelemetryEvent {
    }
}
