package com.poolhub.metering.pricing;

import java.math.BigDecimal;

/**
 * One step of a graduated rate: the unit rate (USD) charged for the month-to-date quantity below
 * {@code upTo}, starting where the previous tier ends. The last tier has no {@code upTo}.
 *
 * @param upTo     exclusive upper bound of the month-to-date quantity this tier covers; null for unbounded
 * @param unitRate USD per unit, ≥ 0
 */
public record RateTier(BigDecimal upTo, BigDecimal unitRate) {
    public RateTier {
        if (unitRate == null || unitRate.signum() < 0) {
            throw new IllegalArgumentException("a tier's unitRate must be ≥ 0");
        }
        if (upTo != null && upTo.signum() <= 0) {
            throw new IllegalArgumentException("a tier's upTo must be > 0");
        }
    }

    public boolean unbounded() {
        return upTo == null;
    }
}
