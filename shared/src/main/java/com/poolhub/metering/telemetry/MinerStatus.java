package com.poolhub.metering.telemetry;

import java.util.Optional;

/** A miner's status as its heartbeat reports it; every status but {@code OFFLINE} counts as up. */
public enum MinerStatus {
    ONLINE, BUSY, DRAINING, OFFLINE;

    public boolean isUp() {
        return this != OFFLINE;
    }

    public static Optional<MinerStatus> parse(String value) {
        for (MinerStatus status : values()) {
            if (status.name().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
