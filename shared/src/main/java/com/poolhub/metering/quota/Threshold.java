package com.poolhub.metering.quota;

/** The points of a quota whose crossing is announced once per period. */
public enum Threshold {
    /** The soft limit: {@code softLimitPct} percent of the limit. */
    SOFT,
    /** The limit itself (100 %). */
    LIMIT
}
