package com.poolhub.metering.sla;

/**
 * Where a requested collection stands: {@code REQUESTED} until the collector claims it,
 * {@code RUNNING} while a claim's lease holds, then {@code SUCCEEDED} or {@code FAILED} for good.
 */
public enum CollectionStatus {
    REQUESTED, RUNNING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
