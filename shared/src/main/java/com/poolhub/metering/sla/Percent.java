package com.poolhub.metering.sla;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Percentages as exact decimals: 100 × part / whole, rounded half-even to 3 decimals for display. */
public final class Percent {
    public static final int SCALE = 3;

    private Percent() {
    }

    /** The percentage, or null when {@code whole} is zero. */
    public static BigDecimal of(long part, long whole) {
        if (whole == 0) {
            return null;
        }
        return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole), SCALE, RoundingMode.HALF_EVEN);
    }

    /** Whether 100 × part / whole is below {@code threshold}, decided exactly (no rounding). */
    public static boolean below(long part, long whole, BigDecimal threshold) {
        return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .compareTo(threshold.multiply(BigDecimal.valueOf(whole))) < 0;
    }
}
