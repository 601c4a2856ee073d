package com.poolhub.metering.sla;

/** The figures an SLA is held to; {@code CAPACITY} applies to the pool, the rest to each miner. */
public enum SlaMetric {
    UPTIME, RESPONSE_TIME, COMPLETION_RATE, CAPACITY
}
