package com.poolhub.metering.quota;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One quota's figures for a request: the use so far in the current period and the amount asked
 * for. The status and whether the request is allowed follow from the use the request would lead to.
 *
 * @param used      use so far in the period holding {@code periodStart}
 * @param requested the amount asked for (zero to just look)
 */
public record QuotaStanding(QuotaLimit quota, BigDecimal used, BigDecimal requested, Instant periodStart,
                            Instant resetAt) {

    /** Use after the request, if it were granted. */
    public BigDecimal projected() {
        return used.add(requested);
    }

    /** AVAILABLE below the soft limit, WARNING from it up to the limit, EXCEEDED above the limit. */
    public QuotaStatus status() {
        BigDecimal projected = projected();
        if (projected.compareTo(quota.limit()) > 0) {
            return QuotaStatus.EXCEEDED;
        }
        return projected.compareTo(quota.amountAt(Threshold.SOFT)) >= 0 ? QuotaStatus.WARNING : QuotaStatus.AVAILABLE;
    }

    /** A hard quota refuses a request that would take the use above the limit; a soft one never refuses. */
    public boolean allowed() {
        return !quota.hard() || projected().compareTo(quota.limit()) <= 0;
    }

    /** What is left of the limit before the request, never negative. */
    public BigDecimal remaining() {
        return quota.limit().subtract(used).max(BigDecimal.ZERO);
    }

    /** The same quota after the request was granted: its amount now counts as used. */
    public QuotaStanding granted() {
        return new QuotaStanding(quota, projected(), BigDecimal.ZERO, periodStart, resetAt);
    }

    /**
     * Which of two standings binds a request harder: a refusal, then the worse status, then the
     * smaller remainder, then the earlier reset.
     */
    public boolean bindsHarderThan(QuotaStanding other) {
        if (allowed() != other.allowed()) {
            return !allowed();
        }
        if (status() != other.status()) {
            return status().compareTo(other.status()) > 0;
        }
        int remainder = remaining().compareTo(other.remaining());
        if (remainder != 0) {
            return remainder < 0;
        }
        return resetAt.isBefore(other.resetAt);
    }
}
