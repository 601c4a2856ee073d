package com.poolhub.metering.usageapi;

import com.poolhub.metering.pricing.PricedLine;
import com.poolhub.metering.pricing.PricedUsage;
import com.poolhub.metering.usage.Resource;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The tenants that cost most over a range: every tenant with a month item in a month the range
 * touches ({@link UsageTenants}, one query per month on the window index) is priced over the range
 * exactly as {@code GET /usage/{tenant}} prices it ({@link UsageCosts#range}), so a tenant's total here
 * is its total there. Ranked by cost in USD, highest first, ties by tenant id; tenants without a line
 * in the range are left out. Costs one pricing of the range per tenant with usage in its months.
 */
public final class TopConsumers {
    private final UsageTenants tenants;
    private final UsageCosts costs;

    public TopConsumers(UsageTenants tenants, UsageCosts costs) {
        this.tenants = tenants;
        this.costs = costs;
    }

    /** One ranked tenant: its priced range and the cost of each resource. */
    public record Consumer(int rank, String tenant, PricedUsage usage, Map<Resource, BigDecimal> byResource) {
    }

    /**
     * The ranking's first {@code top} tenants.
     *
     * @param considered tenants priced (with usage in the range's months)
     * @param withUsage  of those, tenants with at least one line in the range
     */
    public record Ranking(List<Consumer> consumers, int considered, int withUsage) {
    }

    public Ranking rank(UsageRange range, int top) {
        LocalDate first = LocalDate.ofInstant(range.from(), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(range.to().minusNanos(1), ZoneOffset.UTC);
        List<String> candidates = List.copyOf(tenants.withUsage(first, last));
        List<Consumer> priced = new ArrayList<>();
        for (String tenant : candidates) {
            PricedUsage usage = costs.range(tenant, range.granularity(), range.from(), range.to());
            if (!usage.lines().isEmpty()) {
                priced.add(new Consumer(0, tenant, usage, byResource(usage.lines())));
            }
        }
        priced.sort(Comparator.comparing((Consumer c) -> c.usage().totalUsd()).reversed()
                .thenComparing(Consumer::tenant));
        List<Consumer> ranked = new ArrayList<>();
        for (int i = 0; i < Math.min(top, priced.size()); i++) {
            Consumer consumer = priced.get(i);
            ranked.add(new Consumer(i + 1, consumer.tenant(), consumer.usage(), consumer.byResource()));
        }
        return new Ranking(ranked, candidates.size(), priced.size());
    }

    private static Map<Resource, BigDecimal> byResource(List<PricedLine> lines) {
        Map<Resource, BigDecimal> costs = new EnumMap<>(Resource.class);
        lines.forEach(line -> costs.merge(line.key().resource(), line.cost(), BigDecimal::add));
        return costs;
    }
}
