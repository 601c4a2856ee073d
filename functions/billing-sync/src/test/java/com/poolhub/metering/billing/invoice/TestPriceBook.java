package com.poolhub.metering.billing.invoice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.Rate;
import com.poolhub.metering.pricing.RateKey;
import com.poolhub.metering.pricing.RateTier;
import com.poolhub.metering.pricing.TokenPrice;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/** A small price book for invoice tests, and the check that an invoice is reproducible from what it stores. */
public final class TestPriceBook {
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant GPU_CHANGE = Instant.parse("2026-10-15T00:00:00Z");

    private TestPriceBook() {
    }

    /** GPU seconds flat at 0.0008, 0.0009 from mid-October; inference tokens 0.002 up to 1000 a month, then 0.0015; token 0.25 USD. */
    public static PriceBook book() {
        RateKey gpu = new RateKey(Resource.GPU, UsageUnit.COMPUTE_SECONDS);
        RateKey tokens = new RateKey(Resource.INFERENCE, UsageUnit.TOKENS);
        return new PriceBook(List.of(
                Rate.flat(gpu, START, new BigDecimal("0.0008")),
                Rate.flat(gpu, GPU_CHANGE, new BigDecimal("0.0009")),
                new Rate(tokens, START, List.of(new RateTier(new BigDecimal("1000"), new BigDecimal("0.002")),
                        new RateTier(null, new BigDecimal("0.0015"))))),
                List.of(new TokenPrice(START, new BigDecimal("0.25"))));
    }

    /** Recomputes every figure of an invoice from its stored quantities, unit rates and token price only. */
    public static void assertReproducible(Invoice invoice) {
        BigDecimal total = BigDecimal.ZERO;
        for (InvoiceLine line : invoice.lines()) {
            assertEquals(line.quantity().multiply(line.unitRate()).setScale(6, RoundingMode.HALF_EVEN), line.cost(),
                    line.toString());
            total = total.add(line.cost());
        }
        assertEquals(0, total.compareTo(invoice.totalUsd()), "the total is the sum of the lines");
        assertEquals(invoice.totalUsd().divide(invoice.tokenPrice().usdPerToken(), 6, RoundingMode.HALF_EVEN),
                invoice.totalTokens());
    }
}
