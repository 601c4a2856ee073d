package com.poolhub.metering.quota.function;

import com.poolhub.metering.quota.QuotaStanding;
import com.poolhub.metering.quota.RateLimit;
import java.time.Duration;
import java.util.List;

/**
 * The answer to a check or a consume: the figures of every quota on the resource and unit (before
 * the request), the one that binds hardest, and for a consume whether it was granted.
 *
 * @param standings  one per quota on the resource and unit; empty when there is none
 * @param rate       the tenant's rate limit, null for none
 * @param tokensLeft whole rate tokens left after a granted consume; -1 when not known or no rate limit
 * @param retryAfter for a refusal, how long until the request may succeed
 */
public record Consumption(Outcome outcome, List<QuotaStanding> standings, RateLimit rate, long tokensLeft,
                          Duration retryAfter) {

    /** How a request ended. */
    public enum Outcome {
        /** A check: nothing changed. */
        CHECKED,
        /** The amount is now counted. */
        GRANTED,
        /** A hard limit refused it; nothing changed. */
        QUOTA_EXCEEDED,
        /** The rate bucket was empty; nothing changed. */
        RATE_LIMITED,
        /** Too many concurrent writers on the same items; nothing changed, retry shortly. */
        BUSY
    }

    public Consumption {
        standings = List.copyOf(standings);
    }

    /** The quota that binds the request hardest, or null when there is none. */
    public QuotaStanding binding() {
        QuotaStanding binding = null;
        for (QuotaStanding standing : standings) {
            if (binding == null || standing.bindsHarderThan(binding)) {
                binding = standing;
            }
        }
        return binding;
    }
}
