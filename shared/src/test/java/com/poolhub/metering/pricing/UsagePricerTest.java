package com.poolhub.metering.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsagePricerTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final RateKey GPU = new RateKey(Resource.GPU, UsageUnit.COMPUTE_SECONDS);
    private static final RateKey TOKENS = new RateKey(Resource.INFERENCE, UsageUnit.TOKENS);

    private static PriceBook book() {
        return new PriceBook(List.of(
                Rate.flat(GPU, START, new BigDecimal("0.0008")),
                new Rate(TOKENS, START, List.of(new RateTier(new BigDecimal("100"), new BigDecimal("0.01")),
                        new RateTier(new BigDecimal("200"), new BigDecimal("0.005")),
                        new RateTier(null, new BigDecimal("0.001"))))),
                List.of(new TokenPrice(START, new BigDecimal("0.3"))));
    }

    private static UsageKey key(RateKey rate, Granularity g, String start) {
        return new UsageKey("acme", rate.resource(), rate.unit(), g, Instant.parse(start));
    }

    @Test
    void price_flatRate_roundsOnceHalfEvenAtTheLine() {
        UsagePricer pricer = new UsagePricer(book());
        // 0.0000125 × ... : 1.5625 s × 0.0008 = 0.00125 exactly → 0.001250; 0.0078125 → 0.000006 (half-even)
        List<PricedLine> lines = pricer.price(List.of(
                new UsageLine(key(GPU, Granularity.HOUR, "2026-03-01T00:00:00Z"), new BigDecimal("1.5625")),
                new UsageLine(key(GPU, Granularity.HOUR, "2026-03-01T01:00:00Z"), new BigDecimal("0.0078125"))),
                MonthToDate.empty());
        assertEquals(new BigDecimal("0.001250"), lines.get(0).cost());
        assertEquals(new BigDecimal("0.000006"), lines.get(1).cost());
        assertEquals(new BigDecimal("0.0008"), lines.get(0).unitRate());
        assertEquals(START, lines.get(0).rateEffectiveFrom());
    }

    @Test
    void price_halfEvenRoundsTiesToEven() {
        UsagePricer pricer = new UsagePricer(book());
        // 0.003125 × 0.0008 = 0.0000025 → tie, rounds to even 0.000002
        List<PricedLine> lines = pricer.price(List.of(
                new UsageLine(key(GPU, Granularity.MINUTE, "2026-03-01T00:00:00Z"), new BigDecimal("0.003125"))),
                MonthToDate.empty());
        assertEquals(new BigDecimal("0.000002"), lines.get(0).cost());
    }

    @Test
    void price_graduatedRate_splitsAWindowAcrossTiersByMonthToDate() {
        UsagePricer pricer = new UsagePricer(book());
        List<PricedLine> lines = pricer.price(List.of(
                new UsageLine(key(TOKENS, Granularity.DAY, "2026-03-01T00:00:00Z"), new BigDecimal("80")),
                new UsageLine(key(TOKENS, Granularity.DAY, "2026-03-02T00:00:00Z"), new BigDecimal("150")),
                new UsageLine(key(TOKENS, Granularity.DAY, "2026-04-01T00:00:00Z"), new BigDecimal("50"))),
                MonthToDate.empty());
        assertEquals(5, lines.size());
        assertEquals(new BigDecimal("0.800000"), lines.get(0).cost());
        // day 2: 20 at tier 0, 100 at tier 1, 30 at tier 2
        assertEquals(List.of(0, 1, 2), lines.subList(1, 4).stream().map(PricedLine::tier).toList());
        assertEquals(0, new BigDecimal("20").compareTo(lines.get(1).quantity()));
        assertEquals(new BigDecimal("0.200000"), lines.get(1).cost());
        assertEquals(new BigDecimal("0.500000"), lines.get(2).cost());
        assertEquals(new BigDecimal("0.030000"), lines.get(3).cost());
        // a new month starts again at the first tier
        assertEquals(0, lines.get(4).tier());
        assertEquals(new BigDecimal("0.500000"), lines.get(4).cost());
    }

    @Test
    void price_graduatedRate_hoursSumToTheMonthLine() {
        UsagePricer pricer = new UsagePricer(book());
        List<UsageLine> hours = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int h = 0; h < 48; h++) {
            BigDecimal q = new BigDecimal("7.25");
            total = total.add(q);
            hours.add(new UsageLine(key(TOKENS, Granularity.HOUR, Instant.parse("2026-03-01T00:00:00Z").plusSeconds(3600L * h).toString()), q));
        }
        BigDecimal hourly = PricedUsage.of(pricer.price(hours, MonthToDate.empty()), book().tokenPriceAt(START)).totalUsd();
        BigDecimal monthly = PricedUsage.of(pricer.price(List.of(new UsageLine(key(TOKENS, Granularity.MONTH, "2026-03-01T00:00:00Z"), total)),
                MonthToDate.empty()), book().tokenPriceAt(START)).totalUsd();
        assertEquals(monthly, hourly);
    }

    @Test
    void price_startsFromTheGivenMonthToDate() {
        UsagePricer pricer = new UsagePricer(book());
        UsageKey day = key(TOKENS, Granularity.DAY, "2026-03-10T00:00:00Z");
        MonthToDate before = new MonthToDate(Map.of(MonthToDate.Position.of(day), new BigDecimal("250")));
        List<PricedLine> lines = pricer.price(List.of(new UsageLine(day, new BigDecimal("10"))), before);
        assertEquals(1, lines.size());
        assertEquals(2, lines.get(0).tier());
    }

    @Test
    void price_rateChange_appliesFromTheWindowStartingAtItsDate() {
        Instant change = Instant.parse("2026-03-15T00:00:00Z");
        UsagePricer pricer = new UsagePricer(book().with(Rate.flat(GPU, change, new BigDecimal("0.001"))));
        List<PricedLine> lines = pricer.price(List.of(
                new UsageLine(key(GPU, Granularity.DAY, "2026-03-14T00:00:00Z"), new BigDecimal("1000")),
                new UsageLine(key(GPU, Granularity.DAY, "2026-03-15T00:00:00Z"), new BigDecimal("1000")),
                new UsageLine(key(GPU, Granularity.MONTH, "2026-03-01T00:00:00Z"), new BigDecimal("2000"))),
                MonthToDate.empty());
        assertEquals(new BigDecimal("0.800000"), lines.stream().filter(l -> l.key().windowStart().equals(Instant.parse("2026-03-14T00:00:00Z"))).findFirst().orElseThrow().cost());
        assertEquals(new BigDecimal("1.000000"), lines.stream().filter(l -> l.key().windowStart().equals(change)).findFirst().orElseThrow().cost());
        assertEquals(new BigDecimal("1.600000"), lines.stream().filter(l -> l.key().granularity() == Granularity.MONTH).findFirst().orElseThrow().cost());
    }

    @Test
    void rateChange_leavesEveryWindowBeforeItPricedAsBefore() {
        List<UsageLine> lines = new ArrayList<>();
        for (int d = 0; d < 14; d++) {
            lines.add(new UsageLine(key(TOKENS, Granularity.DAY, Instant.parse("2026-03-01T00:00:00Z").plusSeconds(86_400L * d).toString()),
                    new BigDecimal("17.5")));
            lines.add(new UsageLine(key(GPU, Granularity.DAY, Instant.parse("2026-03-01T00:00:00Z").plusSeconds(86_400L * d).toString()),
                    new BigDecimal("1234.567")));
        }
        PriceBook changed = book().with(Rate.flat(GPU, Instant.parse("2026-03-15T00:00:00Z"), new BigDecimal("0.002")))
                .with(new Rate(TOKENS, Instant.parse("2026-03-15T00:00:00Z"), List.of(new RateTier(null, new BigDecimal("0.5")))));

        assertEquals(new UsagePricer(book()).price(lines, MonthToDate.empty()),
                new UsagePricer(changed).price(lines, MonthToDate.empty()));
    }

    @Test
    void totals_sumRoundedLinesAndConvertToTokensHalfEven() {
        UsagePricer pricer = new UsagePricer(book());
        PricedUsage usage = pricer.priceWithTotals(List.of(
                new UsageLine(key(GPU, Granularity.HOUR, "2026-03-01T00:00:00Z"), new BigDecimal("0.0078125")),
                new UsageLine(key(GPU, Granularity.HOUR, "2026-03-01T01:00:00Z"), new BigDecimal("0.0078125"))),
                MonthToDate.empty(), START);
        assertEquals(new BigDecimal("0.000012"), usage.totalUsd());
        assertEquals(new BigDecimal("0.000040"), usage.totalTokens());
    }

    @Test
    void price_beforeAnyRate_failsNamingTheRate() {
        UsagePricer pricer = new UsagePricer(book());
        MissingRateException e = assertThrows(MissingRateException.class, () -> pricer.price(List.of(
                new UsageLine(key(GPU, Granularity.HOUR, "2025-03-01T00:00:00Z"), BigDecimal.ONE)), MonthToDate.empty()));
        assertTrue(e.getMessage().contains("GPU/compute_seconds"));
    }

    @Test
    void shippedBook_pricesEveryResourceAndUnitTheContractAllows() {
        PriceBook shipped = PriceBookJson.shipped();
        for (Resource resource : Resource.values()) {
            for (UsageUnit unit : UsageUnit.values()) {
                if (unit.appliesTo(resource)) {
                    assertTrue(shipped.rateAt(resource, unit, START).isPresent(), resource + "/" + unit);
                }
            }
        }
        assertEquals(new BigDecimal("0.25"), shipped.tokenPriceAt(START).usdPerToken());
    }

    @Test
    void parse_rejectsTiersThatDoNotIncrease() {
        String json = """
                {"rates":[{"resource":"GPU","unit":"compute_seconds","effectiveFrom":"2026-01-01T00:00:00Z",
                  "tiers":[{"upTo":"10","unitRate":"1"},{"upTo":"5","unitRate":"1"},{"unitRate":"1"}]}],
                 "tokenPrices":[{"effectiveFrom":"2026-01-01T00:00:00Z","usdPerToken":"1"}]}""";
        assertThrows(IllegalArgumentException.class, () -> PriceBookJson.parse(json));
    }

    @Test
    void priceHours_sumsHoursPerWindowRateVersionAndTier_andRefusesWhatIsNotAnHour() {
        Instant change = Instant.parse("2026-03-15T13:00:00Z");
        UsagePricer pricer = new UsagePricer(book().with(Rate.flat(GPU, change, new BigDecimal("0.0009"))));
        List<UsageLine> hours = new ArrayList<>();
        for (int h = 11; h < 15; h++) {
            hours.add(new UsageLine(key(GPU, Granularity.HOUR, "2026-03-15T" + h + ":00:00Z"), new BigDecimal("0.0005")));
        }

        List<PricedLine> day = pricer.priceHours(hours, Granularity.DAY, MonthToDate.empty());

        assertEquals(2, day.size());
        assertEquals(key(GPU, Granularity.DAY, "2026-03-15T00:00:00Z"), day.get(0).key());
        assertEquals(new BigDecimal("0.0010"), day.get(0).quantity());
        // rounded once: 0.0010 × 0.0008 = 0.0000008 → 0.000001, where each hour alone (0.0000004) rounds to 0
        assertEquals(new BigDecimal("0.000001"), day.get(0).cost());
        assertEquals(change, day.get(1).rateEffectiveFrom());
        assertThrows(IllegalArgumentException.class, () -> pricer.priceHours(
                List.of(new UsageLine(key(GPU, Granularity.DAY, "2026-03-15T00:00:00Z"), BigDecimal.ONE)), Granularity.MONTH,
                MonthToDate.empty()));
        assertThrows(IllegalArgumentException.class, () -> pricer.priceHours(hours, Granularity.MINUTE, MonthToDate.empty()));
    }
}
