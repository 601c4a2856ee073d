package com.poolhub.metering.billing;

/** Where a usage record stands with the coordinator billing API. */
public enum SyncStatus {
    /** Stored, not yet accepted (never sent, or the outcome of the last send is unknown). */
    PENDING,
    /** The API accepted it (first time or as a replay of its idempotency key). */
    ACCEPTED,
    /** The last run gave up on it (retries exhausted or refused); the next run sends it again. */
    FAILED
}
