package com.poolhub.metering.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The price of one resource and unit from {@code effectiveFrom} until the next version takes over:
 * a flat unit rate (one unbounded tier) or graduated tiers over the month-to-date quantity. Rate
 * versions are never edited: a change is a new version with a later {@code effectiveFrom}, so
 * windows that started before it keep their price.
 */
public record Rate(RateKey key, Instant effectiveFrom, List<RateTier> tiers) {
    public Rate {
        tiers = List.copyOf(tiers);
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException(key + ": a rate needs at least one tier");
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
            RateTier tier = tiers.get(i);
            boolean last = i == tiers.size() - 1;
            if (last != tier.unbounded()) {
                throw new IllegalArgumentException(key + ": only the last tier is unbounded, and it must be");
            }
            if (!last && tier.upTo().compareTo(previous) <= 0) {
                throw new IllegalArgumentException(key + ": tier bounds must increase");
            }
            previous = last ? previous : tier.upTo();
        }
    }

    /** A flat rate: every unit at {@code unitRate}. */
    public static Rate flat(RateKey key, Instant effectiveFrom, BigDecimal unitRate) {
        return new Rate(key, effectiveFrom, List.of(new RateTier(null, unitRate)));
    }

    public boolean graduated() {
        return tiers.size() > 1;
    }

    /** Where tier {@code index} starts (month-to-date quantity). */
    public BigDecimal tierStart(int index) {
        return index == 0 ? BigDecimal.ZERO : tiers.get(index - 1).upTo();
    }
}
