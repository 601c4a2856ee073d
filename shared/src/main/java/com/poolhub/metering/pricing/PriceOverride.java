package com.poolhub.metering.pricing;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A tenant's own rates (a negotiated price or plan) from an hour on: each rate replaces the book's
 * rate of its resource and unit for that tenant from {@code effectiveFrom} until a later version
 * takes over ({@link PriceBook#overriddenBy}). Overrides are never edited in place: a change is a
 * new override with a later {@code effectiveFrom}, and one set again at the same hour replaces it.
 *
 * @param rates one per resource and unit, each taking effect at {@code effectiveFrom}
 */
public record PriceOverride(String tenant, Instant effectiveFrom, List<Rate> rates) {
    public PriceOverride {
        rates = List.copyOf(rates);
        if (!effectiveFrom.truncatedTo(ChronoUnit.HOURS).equals(effectiveFrom)) {
            throw new IllegalArgumentException("effectiveFrom must be on an hour: " + effectiveFrom);
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("an override needs at least one rate");
        }
        Set<RateKey> keys = new HashSet<>();
        for (Rate rate : rates) {
            if (!rate.effectiveFrom().equals(effectiveFrom)) {
                throw new IllegalArgumentException(rate.key() + ": takes effect at " + rate.effectiveFrom()
                        + ", not at the override's " + effectiveFrom);
            }
            if (!keys.add(rate.key())) {
                throw new IllegalArgumentException(rate.key() + ": given twice");
            }
        }
    }
}
