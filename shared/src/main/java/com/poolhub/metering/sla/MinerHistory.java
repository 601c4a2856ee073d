package com.poolhub.metering.sla;

import com.poolhub.metering.telemetry.HeartbeatReading;
import com.poolhub.metering.telemetry.MinerHour;
import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What SLA figures of one miner over a window are computed from: its registry times, its hours that
 * the window touches, and the latest heartbeat from before those hours (for its GPU count).
 *
 * @param firstHeartbeat the miner's first heartbeat ever, or null
 * @param carryIn        the latest heartbeat before the window's first hour, or null
 */
public record MinerHistory(String minerId, Instant firstHeartbeat, HeartbeatReading carryIn,
                           NavigableMap<Instant, MinerHour> hours) {
    public MinerHistory {
        hours = Collections.unmodifiableNavigableMap(new TreeMap<>(hours));
    }
}
