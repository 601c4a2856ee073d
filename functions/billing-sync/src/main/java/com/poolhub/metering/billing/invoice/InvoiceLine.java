package com.poolhub.metering.billing.invoice;

import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

/**
 * One line of an invoice: a quantity of a resource and unit charged at one unit rate (the rate
 * version and tier the pricing used), and its cost rounded once, half-even to 6 decimals. A USAGE
 * line covers the invoice's own month; an ADJUSTMENT line carries the difference found for an
 * earlier, already issued month ({@code usageMonth}) and may be negative when late usage moved
 * quantity between graduated tiers.
 */
public record InvoiceLine(Kind kind, YearMonth usageMonth, Resource resource, UsageUnit unit, BigDecimal quantity,
                          BigDecimal unitRate, Instant rateEffectiveFrom, int tier, BigDecimal cost) {

    /** What a line bills. */
    public enum Kind { USAGE, ADJUSTMENT }

    /** A line priced from its quantity and unit rate. */
    public static InvoiceLine priced(Kind kind, YearMonth usageMonth, Resource resource, UsageUnit unit,
                                     BigDecimal quantity, BigDecimal unitRate, Instant rateEffectiveFrom, int tier) {
        return new InvoiceLine(kind, usageMonth, resource, unit, quantity, unitRate, rateEffectiveFrom, tier,
                Money.round(quantity.multiply(unitRate)));
    }

    /** What identifies the price a line used (month, resource, unit, rate version, tier, unit rate). */
    public PriceKey priceKey() {
        return new PriceKey(usageMonth, resource, unit, rateEffectiveFrom, tier, unitRate.stripTrailingZeros().toPlainString());
    }

    /** Lines with equal keys are charged alike and can be summed or compared. */
    public record PriceKey(YearMonth usageMonth, Resource resource, UsageUnit unit, Instant rateEffectiveFrom, int tier,
                           String unitRate) {
    }
}
