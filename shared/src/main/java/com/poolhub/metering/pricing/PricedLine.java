package com.poolhub.metering.pricing;

import com.poolhub.metering.usage.UsageKey;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One priced line: the quantity of a usage window charged at one unit rate, and its cost rounded
 * once (half-even, 6 decimals). A window that crosses a tier boundary gives one line per tier.
 * The line keeps the rate version and tier it used, so an invoice made from it can be reproduced.
 *
 * @param key               the usage window (tenant, resource, unit, granularity, start)
 * @param quantity          the part of the window's quantity charged at {@code unitRate}
 * @param unitRate          USD per unit
 * @param rateEffectiveFrom when the rate version used took effect
 * @param tier              index of the tier used (0 for flat rates)
 * @param cost              {@code quantity × unitRate}, rounded half-even to 6 decimals
 */
public record PricedLine(UsageKey key, BigDecimal quantity, BigDecimal unitRate, Instant rateEffectiveFrom,
                         int tier, BigDecimal cost) {

    /** Prices a quantity at a unit rate, rounding once at the line (CONTRACT §2). */
    public static PricedLine of(UsageKey key, BigDecimal quantity, Rate rate, int tier) {
        BigDecimal unitRate = rate.tiers().get(tier).unitRate();
        return new PricedLine(key, quantity, unitRate, rate.effectiveFrom(), tier,
                Money.round(quantity.multiply(unitRate)));
    }
}
