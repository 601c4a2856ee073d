package com.poolhub.metering.sla;

/** What to do with the pool's GPU capacity. */
public enum RecommendationAction {
    SCALE_UP, SCALE_DOWN, HOLD
}
