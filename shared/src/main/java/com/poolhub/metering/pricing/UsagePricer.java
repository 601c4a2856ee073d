package com.poolhub.metering.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prices usage windows (CONTRACT §2). Each window is charged at the rate version in force at the
 * window's start. A graduated rate splits the window's quantity across tiers by where the tenant's
 * month-to-date quantity of that resource and unit stands: the part below a tier bound is charged at
 * that tier's rate, the rest at the next tier's, one line per tier touched. Each line is rounded
 * once; totals are sums of rounded lines. Lines of one call must share one granularity.
 */
public final class UsagePricer {
    private final PriceBook book;

    public UsagePricer(PriceBook book) {
        this.book = book;
    }

    public PriceBook book() {
        return book;
    }

    /**
     * Priced lines in window order (then input order). {@code monthToDate} holds what was used in
     * each window's month before the earliest window given; it is advanced as windows are priced.
     *
     * @throws MissingRateException when a window starts before any rate for its resource and unit
     */
    public List<PricedLine> price(List<UsageLine> lines, MonthToDate monthToDate) {
        List<UsageLine> ordered = new ArrayList<>(lines);
        ordered.sort(Comparator.comparing(line -> line.key().windowStart()));
        List<PricedLine> priced = new ArrayList<>();
        for (UsageLine line : ordered) {
            priced.addAll(price(line, monthToDate.before(line.key())));
            monthToDate.advance(line.key(), line.quantity());
        }
        return priced;
    }

    /** Lines and totals, tokens converted at the token price in force at {@code tokenPriceAt}. */
    public PricedUsage priceWithTotals(List<UsageLine> lines, MonthToDate monthToDate, Instant tokenPriceAt) {
        return PricedUsage.of(price(lines, monthToDate), book.tokenPriceAt(tokenPriceAt));
    }

    /** One window's lines, given the month-to-date quantity before it. */
    public List<PricedLine> price(UsageLine line, BigDecimal usedBefore) {
        Rate rate = book.rateAt(new RateKey(line.key().resource(), line.key().unit()), line.key().windowStart())
                .orElseThrow(() -> new MissingRateException("no rate for " + line.key().resource() + "/"
                        + line.key().unit().wire() + " in force at " + line.key().windowStart()));
        BigDecimal quantity = line.quantity();
        List<PricedLine> out = new ArrayList<>();
        BigDecimal start = usedBefore;
        BigDecimal end = usedBefore.add(quantity);
        for (int tier = 0; tier < rate.tiers().size(); tier++) {
            BigDecimal tierStart = rate.tierStart(tier);
            BigDecimal tierEnd = rate.tiers().get(tier).upTo();
            BigDecimal from = start.max(tierStart);
            BigDecimal to = tierEnd == null ? end : end.min(tierEnd);
            boolean zeroHere = quantity.signum() == 0 && (tierEnd == null || start.compareTo(tierEnd) < 0);
            if (to.compareTo(from) > 0 || zeroHere) {
                out.add(PricedLine.of(line.key(), to.subtract(from).max(BigDecimal.ZERO), rate, tier));
                if (zeroHere) {
                    break;
                }
            }
        }
        return out;
    }
}
