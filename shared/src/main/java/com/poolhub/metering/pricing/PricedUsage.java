package com.poolhub.metering.pricing;

import java.math.BigDecimal;
import java.util.List;

/**
 * Priced lines with their totals: USD as the sum of the rounded lines, and tokens as that total
 * converted at the token price given (half-even, 6 decimals).
 */
public record PricedUsage(List<PricedLine> lines, BigDecimal totalUsd, TokenPrice tokenPrice, BigDecimal totalTokens) {

    public static PricedUsage of(List<PricedLine> lines, TokenPrice tokenPrice) {
        BigDecimal total = Money.ZERO;
        for (PricedLine line : lines) {
            total = total.add(line.cost());
        }
        return new PricedUsage(List.copyOf(lines), total, tokenPrice, tokenPrice.tokensFor(total));
    }
}
