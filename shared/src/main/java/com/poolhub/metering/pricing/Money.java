package com.poolhub.metering.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** The rounding rule for money (CONTRACT §2): half-even to 6 decimals, applied once per line. */
public final class Money {
    /** Decimals kept for USD and token amounts. */
    public static final int SCALE = 6;
    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(SCALE);

    private Money() {
    }

    public static BigDecimal round(BigDecimal exact) {
        return exact.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /** The text form used on the wire: plain, 6 decimals ({@code "12.500000"}). */
    public static String text(BigDecimal amount) {
        return round(amount).toPlainString();
    }
}
