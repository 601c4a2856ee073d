package com.poolhub.metering.telemetry;

import java.util.Optional;

/** How a job a miner ran ended. */
public enum JobOutcome {
    SUCCEEDED, FAILED, TIMED_OUT;

    public static Optional<JobOutcome> parse(String value) {
        for (JobOutcome outcome : values()) {
            if (outcome.name().equals(value)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }
}
