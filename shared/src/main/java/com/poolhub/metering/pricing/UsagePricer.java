package com.poolhub.metering.pricing;

import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prices usage windows (CONTRACT §2). Each window is charged at the rate version in force at the
 * window's start. A graduated rate splits the window's quantity across tiers by where the tenant's
 * month-to-date quantity of that resource and unit stands: the part below a tier bound is charged at
 * that tier's rate, the rest at the next tier's, one line per tier touched. Each line is rounded
 * once; totals are sums of rounded lines. Lines of one call must share one granularity.
 *
 * <p>A day or a month is priced from its hours ({@link #priceHours}), as invoices are: each hour at
 * the rate in force at its start, then one line per window, rate version and tier, rounded once, so
 * a month's lines are exactly its invoice's lines whatever rate changes it holds.
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

    /**
     * Prices HOUR windows in time order and sums them into windows of {@code into} (HOUR, DAY or
     * MONTH): one line per window, resource, unit, rate version and tier, its quantity the hours'
     * quantities charged at that rate and its cost {@code quantity × unitRate} rounded once. Lines
     * come in window, resource, unit, rate version, tier order.
     *
     * @throws IllegalArgumentException when a line is not an hour
     */
    public List<PricedLine> priceHours(List<UsageLine> hours, Granularity into, MonthToDate monthToDate) {
        if (into == Granularity.MINUTE) {
            throw new IllegalArgumentException("hours do not sum into minutes");
        }
        for (UsageLine hour : hours) {
            if (hour.key().granularity() != Granularity.HOUR) {
                throw new IllegalArgumentException("not an hour: " + hour.key());
            }
        }
        Map<WindowPrice, BigDecimal> quantities = new LinkedHashMap<>();
        Map<WindowPrice, Rate> rates = new LinkedHashMap<>();
        for (PricedLine priced : price(hours, monthToDate)) {
            UsageKey hour = priced.key();
            WindowPrice price = new WindowPrice(new UsageKey(hour.tenant(), hour.resource(), hour.unit(), into,
                    into.windowStart(hour.windowStart())), priced.rateEffectiveFrom(), priced.tier());
            quantities.merge(price, priced.quantity(), BigDecimal::add);
            rates.putIfAbsent(price, rateOf(hour));
        }
        List<PricedLine> lines = new ArrayList<>();
        quantities.forEach((price, quantity) -> lines.add(PricedLine.of(price.window(), quantity,
                rates.get(price), price.tier())));
        lines.sort(WINDOW_ORDER);
        return lines;
    }

    /** What one summed line is keyed by: its window and the rate version and tier that priced it. */
    private record WindowPrice(UsageKey window, Instant rateEffectiveFrom, int tier) {
    }

    private static final Comparator<PricedLine> WINDOW_ORDER = Comparator
            .comparing((PricedLine line) -> line.key().windowStart())
            .thenComparing(line -> line.key().resource().name())
            .thenComparing(line -> line.key().unit().wire())
            .thenComparing(PricedLine::rateEffectiveFrom)
            .thenComparingInt(PricedLine::tier);

    private Rate rateOf(UsageKey key) {
        return book.rateAt(new RateKey(key.resource(), key.unit()), key.windowStart())
                .orElseThrow(() -> new MissingRateException("no rate for " + key.resource() + "/"
                        + key.unit().wire() + " in force at " + key.windowStart()));
    }

    /** One window's lines, given the month-to-date quantity before it. */
    public List<PricedLine> price(UsageLine line, BigDecimal usedBefore) {
        Rate rate = rateOf(line.key());
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
