package com.poolhub.metering.billing.invoice;

import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.pricing.TokenPrice;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

/**
 * A tenant's invoice for one UTC month: its lines, the USD total (the sum of the rounded lines), the
 * token total (the USD total at the token price in force at the month's start, half-even to 6
 * decimals) and the price used, so every figure can be recomputed from what is stored.
 */
public record Invoice(String tenant, YearMonth month, InvoiceStatus status, List<InvoiceLine> lines,
                      BigDecimal totalUsd, TokenPrice tokenPrice, BigDecimal totalTokens, Instant generatedAt) {

    /** Totals computed from the lines. */
    public static Invoice of(String tenant, YearMonth month, InvoiceStatus status, List<InvoiceLine> lines,
                             TokenPrice tokenPrice, Instant generatedAt) {
        BigDecimal total = Money.ZERO;
        for (InvoiceLine line : lines) {
            total = total.add(line.cost());
        }
        return new Invoice(tenant, month, status, List.copyOf(lines), total, tokenPrice, tokenPrice.tokensFor(total),
                generatedAt);
    }

    /** The sum of the adjustment lines' costs. */
    public BigDecimal adjustmentsUsd() {
        return lines.stream().filter(l -> l.kind() == InvoiceLine.Kind.ADJUSTMENT).map(InvoiceLine::cost)
                .reduce(Money.ZERO, BigDecimal::add);
    }
}
