package com.poolhub.metering.sla;

import java.util.Map;
import java.util.Optional;

/** Read access to miner telemetry counters for SLA figures; never reads raw events. */
public interface TelemetryHistory {
    /** One page of known miners, in id order; {@code from} is the previous page's position. */
    Page<RegisteredMiner> miners(int limit, Map<String, String> from);

    Optional<RegisteredMiner> miner(String minerId);

    /**
     * The miner's hours the window touches, and the latest heartbeat before them when the miner's
     * first heartbeat is older than the window.
     */
    MinerHistory history(RegisteredMiner miner, SlaWindow window);
}
