package com.poolhub.metering.usageapi;

import com.poolhub.metering.analytics.Anomaly;

/** Remembers which anomalies were announced, so each is published once however often it is detected. */
public interface AnomalyLog {
    /** What recording an anomaly found. */
    enum Claim {
        /** First time seen: the caller publishes it, then calls {@link #published}. */
        NEW,
        /** Seen before but its publication did not complete: the caller publishes it again. */
        UNPUBLISHED,
        /** Already published: nothing to do. */
        PUBLISHED
    }

    /** Records the anomaly if it is new (atomically: of concurrent callers one gets NEW). */
    Claim claim(String tenant, Anomaly anomaly);

    /** Marks the anomaly as published. */
    void published(String tenant, Anomaly anomaly);
}
