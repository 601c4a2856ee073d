package com.poolhub.metering.usageapi;

import com.poolhub.metering.analytics.DailyValue;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.pricing.MonthToDate;
import com.poolhub.metering.pricing.PricedLine;
import com.poolhub.metering.pricing.PricedUsage;
import com.poolhub.metering.pricing.TenantPricing;
import com.poolhub.metering.pricing.UsageLine;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's usage read from the usage table and priced: pages of priced lines for any granularity,
 * and daily cost series with a breakdown by resource. Graduated tiers start from the tenant's
 * month-to-date quantity before the first window read. Minutes and hours are priced at the rate in
 * force at their start; days and months from their hours, as invoices are
 * ({@link UsagePricer#priceHours}), so a MONTH line is its invoice line and every view agrees.
 */
public final class UsageCosts {
    private final DynamoUsageReader reader;
    private final TenantPricing pricing;

    /** Every tenant at the book's rates. */
    public UsageCosts(DynamoUsageReader reader, UsagePricer pricer) {
        this(reader, TenantPricing.bookOnly(pricer.book()));
    }

    /** Each tenant at its own rates: the book with its overrides, as invoices price it. */
    public UsageCosts(DynamoUsageReader reader, TenantPricing pricing) {
        this.reader = reader;
        this.pricing = pricing;
    }

    /** The first instant the price book prices; usage before it cannot be priced. */
    public Instant pricedFrom() {
        return pricing.book().pricedFrom();
    }

    /** A page of priced lines and where the next page starts (null at the end). */
    public record Page(PricedUsage usage, String last) {
    }

    /**
     * Priced windows starting in {@code [from, to)}, at most {@code limit} windows, after the sort
     * key {@code after} (from the previous page). Tokens convert at the token price in force at {@code from}.
     */
    public Page page(String tenant, Granularity granularity, Instant from, Instant to, int limit, String after,
                     Instant pageStart) {
        DynamoUsageReader.Page page = reader.page(tenant, granularity, from, to, limit, after);
        MonthToDate before = reader.monthToDateBefore(tenant, granularity, pageStart);
        if (after != null) {
            // windows starting at pageStart up to `after` were priced on the previous page
            for (VersionedWindow window : reader.all(tenant, granularity, pageStart, granularity.next(pageStart))) {
                if (UsageAggregateCodec.sortKey(window.key()).compareTo(after) <= 0) {
                    before.advance(window.key(), window.totals().quantity());
                }
            }
        }
        UsagePricer pricer = pricing.pricerFor(tenant);
        List<PricedLine> lines = granularity.compareTo(Granularity.HOUR) <= 0
                ? pricer.price(page.windows().stream().map(UsageCosts::line).toList(), before)
                : fromHours(pricer, tenant, granularity, page.windows(), before);
        return new Page(PricedUsage.of(lines, pricer.book().tokenPriceAt(from)), page.last());
    }

    /**
     * Every priced window starting in {@code [from, to)}: the lines and totals the first and only
     * page of {@link #page} gives for the range, the RANGE totals of {@code GET /usage/{tenant}}.
     */
    public PricedUsage range(String tenant, Granularity granularity, Instant from, Instant to) {
        return page(tenant, granularity, from, to, Integer.MAX_VALUE, null, from).usage();
    }

    /**
     * The DAY or MONTH windows given, priced from their hours: one query over the hours from the
     * first window's start to the last one's end (one request per 1 MB of hour items).
     */
    private List<PricedLine> fromHours(UsagePricer pricer, String tenant, Granularity granularity, List<VersionedWindow> windows,
                                       MonthToDate before) {
        if (windows.isEmpty()) {
            return List.of();
        }
        Set<UsageKey> wanted = new HashSet<>();
        windows.forEach(window -> wanted.add(window.key()));
        Instant first = windows.get(0).key().windowStart();
        Instant end = windows.get(windows.size() - 1).key().windowEnd();
        List<UsageLine> hours = reader.all(tenant, Granularity.HOUR, first, end).stream()
                .filter(hour -> wanted.contains(within(hour.key(), granularity)))
                .map(UsageCosts::line).toList();
        return pricer.priceHours(hours, granularity, before);
    }

    private static UsageKey within(UsageKey hour, Granularity granularity) {
        return new UsageKey(hour.tenant(), hour.resource(), hour.unit(), granularity, granularity.windowStart(hour.windowStart()));
    }

    /** One day's cost, in total and per resource. */
    public record DayCost(LocalDate day, BigDecimal totalUsd, Map<Resource, BigDecimal> byResource) {
        public DailyValue asDailyValue() {
            return new DailyValue(day, totalUsd);
        }
    }

    /** The cost of each UTC day in {@code [firstDay, lastDay]} priced from its hours, days without usage at zero. */
    public List<DayCost> daily(String tenant, LocalDate firstDay, LocalDate lastDay) {
        Instant from = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<UsageLine> hours = reader.all(tenant, Granularity.HOUR, from, to).stream().map(UsageCosts::line).toList();
        List<PricedLine> priced = pricing.pricerFor(tenant).priceHours(hours, Granularity.DAY, reader.monthToDateBefore(tenant, Granularity.DAY, from));
        Map<LocalDate, Map<Resource, BigDecimal>> byDay = new LinkedHashMap<>();
        for (LocalDate d = firstDay; !d.isAfter(lastDay); d = d.plusDays(1)) {
            byDay.put(d, new EnumMap<>(Resource.class));
        }
        for (PricedLine line : priced) {
            LocalDate day = LocalDate.ofInstant(line.key().windowStart(), ZoneOffset.UTC);
            byDay.get(day).merge(line.key().resource(), line.cost(), BigDecimal::add);
        }
        List<DayCost> days = new ArrayList<>();
        byDay.forEach((day, resources) -> days.add(new DayCost(day,
                resources.values().stream().reduce(Money.ZERO, BigDecimal::add), resources)));
        return days;
    }

    private static UsageLine line(VersionedWindow window) {
        return new UsageLine(window.key(), window.totals().quantity());
    }
}
