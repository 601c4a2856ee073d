package com.poolhub.metering.telemetry;

import java.time.Instant;

/** The aggregate of one miner's telemetry in one UTC hour. */
public record MinerHourKey(String minerId, Instant hour) {
}
