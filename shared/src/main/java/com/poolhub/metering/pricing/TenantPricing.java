package com.poolhub.metering.pricing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pricer of each tenant: the price book with the tenant's overrides applied
 * ({@link PriceBook#overriddenBy}). A tenant's overrides are read from the store at most once per
 * {@code ttl} per container, so a new override reaches every view within {@code ttl};
 * {@link #forget} drops a tenant's entry at once (the container that set the override).
 */
public final class TenantPricing {
    private final UsagePricer bookPricer;
    private final PriceOverrideStore store;
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(UsagePricer pricer, Instant readAt) {
    }

    public TenantPricing(PriceBook book, PriceOverrideStore store, Duration ttl, Clock clock) {
        this.bookPricer = new UsagePricer(book);
        this.store = store;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Every tenant at the book's rates (no overrides). */
    public static TenantPricing bookOnly(PriceBook book) {
        return new TenantPricing(book, PriceOverrideStore.none(), Duration.ofDays(365), Clock.systemUTC());
    }

    /** The price book, as it prices tenants without overrides. */
    public PriceBook book() {
        return bookPricer.book();
    }

    /** The pricer of the tenant: the book with its overrides. */
    public UsagePricer pricerFor(String tenant) {
        Instant now = clock.instant();
        Cached cached = cache.get(tenant);
        if (cached == null || !now.isBefore(cached.readAt().plus(ttl))) {
            cached = new Cached(pricerOf(store.overrides(tenant)), now);
            cache.put(tenant, cached);
        }
        return cached.pricer();
    }

    /** Drops what is cached for the tenant, so its next pricing reads its overrides again. */
    public void forget(String tenant) {
        cache.remove(tenant);
    }

    private UsagePricer pricerOf(List<PriceOverride> overrides) {
        if (overrides.isEmpty()) {
            return bookPricer;
        }
        return new UsagePricer(book().overriddenBy(overrides.stream().flatMap(o -> o.rates().stream()).toList()));
    }
}
