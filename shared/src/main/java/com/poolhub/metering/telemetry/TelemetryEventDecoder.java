package com.poolhub.metering.telemetry;

import com.poolhub.metering.event.CloudEvent;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.DataFields;
import com.poolhub.metering.event.InvalidEventException;
import com.poolhub.metering.ingest.EventDecoder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Validates {@code miner-telemetry} events exactly as CONTRACT §1.2 defines them. Response times are
 * kept in whole microseconds (a finer {@code responseMs} is rounded half-even to 3 decimals).
 */
public final class TelemetryEventDecoder implements EventDecoder<TelemetryEvent> {
    public static final String HEARTBEAT = "miner.heartbeat.v1";
    public static final String MATCH = "miner.match.v1";
    public static final String JOB = "miner.job.v1";
    /** Largest GPU count a heartbeat may report. */
    static final int MAX_GPUS = 1_000_000;
    /** Largest accepted response time: 30 days in milliseconds. */
    static final BigDecimal MAX_RESPONSE_MS = BigDecimal.valueOf(30L * 24 * 3600 * 1000);

    @Override
    public TelemetryEvent decode(CloudEvent event) {
        DataFields data = new DataFields(event.data());
        return switch (event.type()) {
            case HEARTBEAT -> heartbeat(event, data);
            case MATCH -> match(event, data);
            case JOB -> job(event, data);
            default -> throw new InvalidEventException("UNSUPPORTED_TYPE", "type \""
                    + CloudEventReader.abbreviate(event.type()) + "\" does not belong on miner-telemetry; expected one of "
                    + Arrays.asList(HEARTBEAT, MATCH, JOB));
        };
    }

    private static TelemetryEvent heartbeat(CloudEvent event, DataFields data) {
        MinerStatus status = data.requiredEnum("status", MinerStatus::parse, MinerStatus.values());
        int gpus = (int) data.requiredLong("gpus", 0, MAX_GPUS);
        int gpusFree = (int) data.requiredLong("gpusFree", 0, MAX_GPUS);
        if (gpusFree > gpus) {
            throw new InvalidEventException("INVALID_GPUS_FREE", "gpusFree must be between 0 and gpus (" + gpus
                    + "), was " + gpusFree);
        }
        data.optionalText("gpuModel", 64);
        data.optionalText("region", 64);
        if (event.data().hasNonNull("vramGb")) {
            BigDecimal vram = data.requiredDecimal("vramGb", 18, 9);
            if (vram.signum() < 0) {
                throw new InvalidEventException("INVALID_VRAM_GB", "vramGb must be ≥ 0");
            }
        }
        return new TelemetryEvent.Heartbeat(event.fingerprint(), event.subject(), event.time(), status, gpus, gpusFree);
    }

    private static TelemetryEvent match(CloudEvent event, DataFields data) {
        String jobId = jobId(data);
        BigDecimal responseMs = data.requiredDecimal("responseMs", 18, 9);
        if (responseMs.signum() < 0 || responseMs.compareTo(MAX_RESPONSE_MS) > 0) {
            throw new InvalidEventException("INVALID_RESPONSE_MS", "responseMs must be between 0 and "
                    + MAX_RESPONSE_MS.toPlainString() + ", was " + responseMs.toPlainString());
        }
        long micros = responseMs.setScale(3, RoundingMode.HALF_EVEN).movePointRight(3).longValueExact();
        return new TelemetryEvent.Match(event.fingerprint(), event.subject(), event.time(), jobId, micros);
    }

    private static TelemetryEvent job(CloudEvent event, DataFields data) {
        String jobId = jobId(data);
        JobOutcome outcome = data.requiredEnum("outcome", JobOutcome::parse, JobOutcome.values());
        if (event.data().hasNonNull("durationMs")) {
            BigDecimal duration = data.requiredDecimal("durationMs", 18, 9);
            if (duration.signum() < 0) {
                throw new InvalidEventException("INVALID_DURATION_MS", "durationMs must be ≥ 0");
            }
        }
        data.optionalMatching("tenant", CloudEventReader.SUBJECT);
        return new TelemetryEvent.Job(event.fingerprint(), event.subject(), event.time(), jobId, outcome);
    }

    private static String jobId(DataFields data) {
        String jobId = data.requiredText("jobId");
        if (jobId.isEmpty() || jobId.length() > 128) {
            throw new InvalidEventException("INVALID_JOB_ID", "jobId must be 1 to 128 characters");
        }
        return jobId;
    }
}
