package com.poolhub.metering.billing.invoice;

import com.poolhub.metering.pricing.MonthToDate;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.PricedLine;
import com.poolhub.metering.pricing.TenantPricing;
import com.poolhub.metering.pricing.UsageLine;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.usage.Granularity;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds invoices from hourly usage with the pricing model ({@link UsagePricer}): the month's hours
 * are priced in time order from the month's start (so graduated tiers follow month-to-date use), and
 * summed per resource, unit, rate version and tier into invoice lines, each rounded once
 * ({@link UsagePricer#priceHours}, the rule the usage API's MONTH lines follow too). For earlier months already issued, the same pricing of their usage as it stands now
 * is compared with what their invoices (and later adjustments) covered; each difference becomes an
 * adjustment line at the rate that priced it.
 */
public final class InvoiceBuilder {
    private final TenantPricing pricing;

    /** Every tenant at the book's rates. */
    public InvoiceBuilder(UsagePricer pricer) {
        this(TenantPricing.bookOnly(pricer.book()));
    }

    /** Each tenant at its own rates: the book with its overrides. */
    public InvoiceBuilder(TenantPricing pricing) {
        this.pricing = pricing;
    }

    public PriceBook book() {
        return pricing.book();
    }

    /** An earlier month: its usage as it stands now, and every line already billed for it. */
    public record PriorMonth(YearMonth month, List<UsageLine> usageNow, List<InvoiceLine> billed) {
    }

    /** The first instant of a month (UTC). */
    public static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The invoice of {@code month}: its usage lines, then adjustment lines for the prior months. */
    public Invoice invoice(String tenant, YearMonth month, InvoiceStatus status, List<UsageLine> monthUsage,
                           List<PriorMonth> priors, Instant generatedAt) {
        List<InvoiceLine> lines = new ArrayList<>(lines(month, monthUsage, InvoiceLine.Kind.USAGE));
        for (PriorMonth prior : priors) {
            lines.addAll(adjustments(lines(prior.month(), prior.usageNow(), InvoiceLine.Kind.ADJUSTMENT), prior.billed()));
        }
        return Invoice.of(tenant, month, status, lines, pricing.book().tokenPriceAt(start(month)), generatedAt);
    }

    /** A month's hourly usage priced and summed into lines of the given kind. */
    public List<InvoiceLine> lines(YearMonth month, List<UsageLine> hourlyUsage, InvoiceLine.Kind kind) {
        Instant from = start(month);
        Instant to = start(month.plusMonths(1));
        for (UsageLine line : hourlyUsage) {
            Instant t = line.key().windowStart();
            if (line.key().granularity() != Granularity.HOUR || t.isBefore(from) || !t.isBefore(to)) {
                throw new IllegalArgumentException("not an hour of " + month + ": " + line.key());
            }
        }
        List<InvoiceLine> lines = new ArrayList<>();
        for (PricedLine priced : pricerOf(hourlyUsage).priceHours(hourlyUsage, Granularity.MONTH, MonthToDate.empty())) {
            lines.add(InvoiceLine.priced(kind, month, priced.key().resource(), priced.key().unit(), priced.quantity(),
                    priced.unitRate(), priced.rateEffectiveFrom(), priced.tier()));
        }
        lines.sort(ORDER);
        return lines;
    }

    /** The pricer of the tenant whose hours these are (the book's when there are none). */
    private UsagePricer pricerOf(List<UsageLine> hourlyUsage) {
        return hourlyUsage.isEmpty() ? new UsagePricer(pricing.book()) : pricing.pricerFor(hourlyUsage.get(0).key().tenant());
    }

    /** Lines for what {@code repriced} holds beyond (or short of) {@code billed}, per price key. */
    public static List<InvoiceLine> adjustments(List<InvoiceLine> repriced, List<InvoiceLine> billed) {
        Map<InvoiceLine.PriceKey, InvoiceLine> sample = new LinkedHashMap<>();
        Map<InvoiceLine.PriceKey, BigDecimal> delta = new LinkedHashMap<>();
        for (InvoiceLine line : repriced) {
            sample.putIfAbsent(line.priceKey(), line);
            delta.merge(line.priceKey(), line.quantity(), BigDecimal::add);
        }
        for (InvoiceLine line : billed) {
            sample.putIfAbsent(line.priceKey(), line);
            delta.merge(line.priceKey(), line.quantity().negate(), BigDecimal::add);
        }
        List<InvoiceLine> lines = new ArrayList<>();
        delta.forEach((key, quantity) -> {
            if (quantity.signum() != 0) {
                InvoiceLine s = sample.get(key);
                lines.add(InvoiceLine.priced(InvoiceLine.Kind.ADJUSTMENT, key.usageMonth(), key.resource(), key.unit(),
                        quantity, s.unitRate(), key.rateEffectiveFrom(), key.tier()));
            }
        });
        lines.sort(ORDER);
        return lines;
    }

    private static final Comparator<InvoiceLine> ORDER = Comparator.comparing(InvoiceLine::usageMonth)
            .thenComparing(InvoiceLine::resource).thenComparing(InvoiceLine::unit)
            .thenComparing(InvoiceLine::rateEffectiveFrom).thenComparingInt(InvoiceLine::tier);
}
