package com.poolhub.metering.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/** The USD price of one token from {@code effectiveFrom} on; converts USD amounts into tokens. */
public record TokenPrice(Instant effectiveFrom, BigDecimal usdPerToken) {
    public TokenPrice {
        if (usdPerToken == null || usdPerToken.signum() <= 0) {
            throw new IllegalArgumentException("usdPerToken must be > 0");
        }
    }

    /** USD / price, half-even to 6 decimals (CONTRACT §2). */
    public BigDecimal tokensFor(BigDecimal usd) {
        return usd.divide(usdPerToken, Money.SCALE, RoundingMode.HALF_EVEN);
    }
}
