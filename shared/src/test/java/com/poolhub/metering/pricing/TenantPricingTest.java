package com.poolhub.metering.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A tenant's override from an hour mid-month: hours before it at the book's rate, hours from it at
 * the override's, one MONTH line per rate version rounded once; other tenants keep the book's rates.
 */
class TenantPricingTest {
    private static final RateKey GPU = new RateKey(Resource.GPU, UsageUnit.COMPUTE_SECONDS);
    private static final Instant BOOK_START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant OVERRIDE_FROM = Instant.parse("2026-03-20T07:00:00Z");
    private static final BigDecimal BOOK_RATE = new BigDecimal("0.0008");
    private static final BigDecimal OVERRIDE_RATE = new BigDecimal("0.00055");
    private static final PriceBook BOOK = new PriceBook(List.of(Rate.flat(GPU, BOOK_START, BOOK_RATE)),
            List.of(new TokenPrice(BOOK_START, new BigDecimal("0.25"))));

    /** An in-memory store counting its reads. */
    private static final class Store implements PriceOverrideStore {
        final List<PriceOverride> overrides = new ArrayList<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public List<PriceOverride> overrides(String tenant) {
            reads.incrementAndGet();
            return overrides.stream().filter(o -> o.tenant().equals(tenant)).toList();
        }

        @Override
        public void put(PriceOverride override) {
            overrides.removeIf(o -> o.tenant().equals(override.tenant()) && o.effectiveFrom().equals(override.effectiveFrom()));
            overrides.add(override);
        }
    }

    private static PriceOverride override(String tenant, Instant from, BigDecimal rate) {
        return new PriceOverride(tenant, from, List.of(Rate.flat(GPU, from, rate)));
    }

    /** Every hour of March with seconds that give each hour's exact cost digits past the sixth decimal. */
    private static List<UsageLine> march(String tenant) {
        List<UsageLine> hours = new ArrayList<>();
        int h = 0;
        for (Instant hour = MARCH; hour.isBefore(Instant.parse("2026-04-01T00:00:00Z")); hour = hour.plusSeconds(3600), h++) {
            hours.add(new UsageLine(new UsageKey(tenant, Resource.GPU, UsageUnit.COMPUTE_SECONDS, Granularity.HOUR, hour),
                    new BigDecimal("1800.0000").add(BigDecimal.valueOf(h * 7919L % 10_000, 4))));
        }
        return hours;
    }

    private static BigDecimal seconds(List<UsageLine> hours, boolean fromOverride) {
        return hours.stream().filter(h -> h.key().windowStart().isBefore(OVERRIDE_FROM) != fromOverride)
                .map(UsageLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void aMonthWithAnOverrideFromMidMonth_hasABookLineAndAnOverrideLine_eachRoundedOnce() {
        Store store = new Store();
        store.put(override("acme", OVERRIDE_FROM, OVERRIDE_RATE));
        TenantPricing pricing = new TenantPricing(BOOK, store, Duration.ofSeconds(60), MutableClock.at("2026-03-25T00:00:00Z"));
        List<UsageLine> hours = march("acme");

        List<PricedLine> month = pricing.pricerFor("acme").priceHours(hours, Granularity.MONTH, MonthToDate.empty());

        assertEquals(2, month.size());
        assertEquals(BOOK_START, month.get(0).rateEffectiveFrom());
        assertEquals(0, BOOK_RATE.compareTo(month.get(0).unitRate()));
        assertEquals(0, seconds(hours, false).compareTo(month.get(0).quantity()));
        assertEquals(seconds(hours, false).multiply(BOOK_RATE).setScale(6, RoundingMode.HALF_EVEN), month.get(0).cost());
        assertEquals(OVERRIDE_FROM, month.get(1).rateEffectiveFrom());
        assertEquals(0, OVERRIDE_RATE.compareTo(month.get(1).unitRate()));
        assertEquals(seconds(hours, true).multiply(OVERRIDE_RATE).setScale(6, RoundingMode.HALF_EVEN), month.get(1).cost());

        List<PricedLine> day = pricing.pricerFor("acme").priceHours(hours.stream()
                .filter(h -> h.key().windowStart().toString().startsWith("2026-03-20")).toList(), Granularity.DAY, MonthToDate.empty());
        assertEquals(List.of(BOOK_START, OVERRIDE_FROM), day.stream().map(PricedLine::rateEffectiveFrom).toList());
    }

    @Test
    void otherTenants_keepTheBooksRates() {
        Store store = new Store();
        store.put(override("acme", OVERRIDE_FROM, OVERRIDE_RATE));
        TenantPricing pricing = new TenantPricing(BOOK, store, Duration.ofSeconds(60), MutableClock.at("2026-03-25T00:00:00Z"));

        List<PricedLine> month = pricing.pricerFor("beta").priceHours(march("beta"), Granularity.MONTH, MonthToDate.empty());

        assertEquals(1, month.size());
        assertEquals(0, BOOK_RATE.compareTo(month.get(0).unitRate()));
    }

    @Test
    void anOverrideAtABookVersionsInstant_replacesIt_andALaterBookVersionTakesOver() {
        Instant bookChange = Instant.parse("2026-03-25T00:00:00Z");
        PriceBook book = BOOK.with(Rate.flat(GPU, bookChange, new BigDecimal("0.0009")));

        PriceBook acme = book.overriddenBy(List.of(Rate.flat(GPU, BOOK_START, new BigDecimal("0.0006"))));

        assertEquals(0, new BigDecimal("0.0006").compareTo(acme.rateAt(GPU, OVERRIDE_FROM).orElseThrow().tiers().get(0).unitRate()));
        assertEquals(0, new BigDecimal("0.0009").compareTo(acme.rateAt(GPU, bookChange).orElseThrow().tiers().get(0).unitRate()));
    }

    @Test
    void overrides_areReadOncePerTtl_andAtOnceAfterForget() {
        Store store = new Store();
        MutableClock clock = MutableClock.at("2026-03-25T00:00:00Z");
        TenantPricing pricing = new TenantPricing(BOOK, store, Duration.ofSeconds(60), clock);
        pricing.pricerFor("acme");
        store.put(override("acme", OVERRIDE_FROM, OVERRIDE_RATE));

        clock.advance(Duration.ofSeconds(59));
        assertEquals(0, BOOK_RATE.compareTo(pricing.pricerFor("acme").book().rateAt(GPU, OVERRIDE_FROM).orElseThrow().tiers().get(0).unitRate()));
        assertEquals(1, store.reads.get());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, OVERRIDE_RATE.compareTo(pricing.pricerFor("acme").book().rateAt(GPU, OVERRIDE_FROM).orElseThrow().tiers().get(0).unitRate()));
        assertEquals(2, store.reads.get());

        store.put(override("acme", OVERRIDE_FROM, new BigDecimal("0.0004")));
        pricing.forget("acme");
        assertEquals(0, new BigDecimal("0.0004").compareTo(pricing.pricerFor("acme").book().rateAt(GPU, OVERRIDE_FROM).orElseThrow().tiers().get(0).unitRate()));
    }

    @Test
    void anOverride_startsOnAnHour_withEachRateOnceAtItsStart() {
        assertThrows(IllegalArgumentException.class, () -> override("acme", Instant.parse("2026-03-20T07:30:00Z"), OVERRIDE_RATE));
        assertThrows(IllegalArgumentException.class, () -> new PriceOverride("acme", OVERRIDE_FROM,
                List.of(Rate.flat(GPU, OVERRIDE_FROM.plusSeconds(3600), OVERRIDE_RATE))));
        assertThrows(IllegalArgumentException.class, () -> new PriceOverride("acme", OVERRIDE_FROM,
                List.of(Rate.flat(GPU, OVERRIDE_FROM, OVERRIDE_RATE), Rate.flat(GPU, OVERRIDE_FROM, BOOK_RATE))));
        assertThrows(IllegalArgumentException.class, () -> new PriceOverride("acme", OVERRIDE_FROM, List.of()));
    }
}
