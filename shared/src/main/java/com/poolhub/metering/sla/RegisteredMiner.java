package com.poolhub.metering.sla;

import java.time.Instant;

/**
 * A miner the pool knows: when it first sent anything and when it sent its first heartbeat (null
 * when it never did). Both only ever move earlier.
 */
public record RegisteredMiner(String minerId, Instant firstSeen, Instant firstHeartbeat) {
}
