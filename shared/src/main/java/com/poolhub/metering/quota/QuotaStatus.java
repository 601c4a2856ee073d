package com.poolhub.metering.quota;

/** Where a use stands against a quota: below the soft limit, at or above it, or above the limit. */
public enum QuotaStatus {
    AVAILABLE, WARNING, EXCEEDED;

    /** The more serious of two statuses. */
    public QuotaStatus worse(QuotaStatus other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
