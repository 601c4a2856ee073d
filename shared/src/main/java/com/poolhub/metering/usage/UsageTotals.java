package com.poolhub.metering.usage;

import java.math.BigDecimal;

/** The running total of one usage aggregate: exact quantity and the number of events counted. */
public record UsageTotals(BigDecimal quantity, long events) {
    public static final UsageTotals ZERO = new UsageTotals(BigDecimal.ZERO, 0);

    public UsageTotals plus(BigDecimal more) {
        return new UsageTotals(quantity.add(more), events + 1);
    }

    public UsageTotals plus(UsageTotals other) {
        return new UsageTotals(quantity.add(other.quantity), events + other.events);
    }
}
