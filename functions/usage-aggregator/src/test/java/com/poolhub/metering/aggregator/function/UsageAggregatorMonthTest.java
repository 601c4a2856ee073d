package com.poolhub.metering.aggregator.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.pricing.MonthToDate;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.PricedUsage;
import com.poolhub.metering.pricing.Rate;
import com.poolhub.metering.pricing.RateKey;
import com.poolhub.metering.pricing.RateTier;
import com.poolhub.metering.pricing.TokenPrice;
import com.poolhub.metering.pricing.UsageLine;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A month of usage for several tenants through the real ingest pipeline into the local DynamoDB emulator, late
 * events and resends included, rolled up by the aggregator and priced with a rate change mid-month:
 * every hour, day and month total and cost equals an independent computation, and running every
 * schedule again changes nothing.
 */
class UsageAggregatorMonthTest {
    private static final Instant MONTH = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant NEXT_MONTH = Instant.parse("2026-12-01T00:00:00Z");
    private static final Instant GPU_RATE_CHANGE = Instant.parse("2026-11-15T12:00:00Z");
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T06:00:00Z"), ZoneOffset.UTC);
    private static final String EVENTS = "../../events/";

    private static final BigDecimal GPU_OLD = new BigDecimal("0.0008");
    private static final BigDecimal GPU_NEW = new BigDecimal("0.00095");
    private static final BigDecimal NETWORK = new BigDecimal("0.09");
    private static final BigDecimal[] TOKEN_BOUNDS = {new BigDecimal("3000000"), new BigDecimal("9000000")};
    private static final BigDecimal[] TOKEN_RATES = {new BigDecimal("0.000002"), new BigDecimal("0.0000015"), new BigDecimal("0.000001")};
    private static final BigDecimal USD_PER_TOKEN = new BigDecimal("0.25");

    private static Map<Table, String> tables;
    private static DynamoDbClient dynamo;
    private static UsageAggregatorFunction aggregator;
    private static DynamoUsageReader reader;
    private static List<SyntheticUsage.Event> counted;
    private static Map<String, Object> lastRunAgain;
    private static Map<String, Object> firstRepeat;
    private static Map<UsageKey, String> beforeRepeat;
    private static Map<UsageKey, String> afterRepeat;

    static PriceBook book() {
        Instant epoch = Instant.parse("2020-01-01T00:00:00Z");
        RateKey gpu = new RateKey(Resource.GPU, UsageUnit.COMPUTE_SECONDS);
        return new PriceBook(List.of(
                Rate.flat(gpu, epoch, GPU_OLD),
                Rate.flat(gpu, GPU_RATE_CHANGE, GPU_NEW),
                Rate.flat(new RateKey(Resource.NETWORK, UsageUnit.GB), epoch, NETWORK),
                new Rate(new RateKey(Resource.INFERENCE, UsageUnit.TOKENS), epoch, List.of(
                        new RateTier(TOKEN_BOUNDS[0], TOKEN_RATES[0]), new RateTier(TOKEN_BOUNDS[1], TOKEN_RATES[1]),
                        new RateTier(null, TOKEN_RATES[2])))),
                List.of(new TokenPrice(epoch, USD_PER_TOKEN), new TokenPrice(Instant.parse("2026-11-20T00:00:00Z"), new BigDecimal("0.2"))));
    }

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a whole month of hours through ingest and every rollup
    static void ingestAMonthAndRollItUp() {
        tables = LocalDynamo.freshTables();
        dynamo = LocalDynamo.client();
        var ingestion = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35), Duration.ofDays(35), 4);
        IngestPipeline<UsageEvent, UsageKey> pipeline = ingestion.pipeline(dynamo, CLOCK);
        aggregator = new UsageAggregatorFunction(new DynamoUsageRollup(dynamo, tables.get(Table.USAGE), UsageMetricsSink.none(),
                Executors.newFixedThreadPool(4, Workers.daemon("test-rollup")), 100_000),
                UsageIngestion.folder(dynamo, tables.get(Table.USAGE), Duration.ofDays(35), Workers.pool(2, "test-folder")));
        reader = new DynamoUsageReader(dynamo, tables.get(Table.USAGE), true);

        List<SyntheticUsage.Event> onTime = SyntheticUsage.events(1, TENANTS, 160, MONTH, NEXT_MONTH);
        List<SyntheticUsage.Event> late = SyntheticUsage.events(2, TENANTS, 40, MONTH, NEXT_MONTH);
        ScheduledEvent all = EventLoader.loadScheduledEvent(EVENTS + "usage-aggregator-schedule.json");

        ingest(pipeline, onTime, 0);
        aggregator.handleRequest(all, null);
        // late events land in windows already rolled up; some on-time events are resent
        List<SyntheticUsage.Event> lateAndResent = new ArrayList<>(late);
        lateAndResent.addAll(onTime.subList(0, 40));
        ingest(pipeline, lateAndResent, 10_000);
        aggregator.handleRequest(all, null);
        counted = new ArrayList<>(onTime);
        counted.addAll(late);

        beforeRepeat = snapshot();
        firstRepeat = aggregator.handleRequest(all, null);
        for (String step : List.of("minutes", "hours", "days")) {
            aggregator.handleRequest(EventLoader.loadScheduledEvent(EVENTS + "usage-aggregator-schedule-" + step + ".json"), null);
        }
        lastRunAgain = aggregator.handleRequest(all, null);
        afterRepeat = snapshot();
    }

    private static void ingest(IngestPipeline<UsageEvent, UsageKey> pipeline, List<SyntheticUsage.Event> events, long sequence) {
        List<com.poolhub.metering.ingest.StreamRecord> records = SyntheticUsage.records(events, 25, sequence);
        for (int from = 0; from < records.size(); from += 10) {
            IngestReport report = pipeline.process(records.subList(from, Math.min(records.size(), from + 10)));
            assertEquals(0, report.rejected());
            assertTrue(report.failedSequenceNumbers().isEmpty());
        }
    }

    private static Map<UsageKey, String> snapshot() {
        Map<UsageKey, String> all = new TreeMap<>(Comparator.comparing(UsageKey::toString));
        for (String tenant : TENANTS) {
            for (Granularity g : List.of(Granularity.HOUR, Granularity.DAY, Granularity.MONTH)) {
                for (VersionedWindow w : reader.all(tenant, g, MONTH, NEXT_MONTH)) {
                    all.put(w.key(), w.totals().quantity().toPlainString() + "/" + w.totals().events() + "/" + w.version());
                }
            }
        }
        return all;
    }

    /** Independent bucketing: window start by plain arithmetic on epoch seconds and calendar dates. */
    private static Instant bucket(Instant t, Granularity g) {
        long s = t.getEpochSecond();
        return switch (g) {
            case HOUR -> Instant.ofEpochSecond(s - Math.floorMod(s, 3600));
            case DAY -> LocalDate.ofInstant(t, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MONTH -> LocalDate.ofInstant(t, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
            case MINUTE -> Instant.ofEpochSecond(s - Math.floorMod(s, 60));
        };
    }

    private static Map<UsageKey, BigDecimal[]> expected(String tenant, Granularity g) {
        Map<UsageKey, BigDecimal[]> sums = new TreeMap<>(Comparator.comparing(UsageKey::windowStart)
                .thenComparing(UsageKey::resource).thenComparing(k -> k.unit().wire()));
        for (SyntheticUsage.Event e : counted) {
            if (!e.tenant().equals(tenant)) {
                continue;
            }
            UsageKey key = new UsageKey(tenant, Resource.valueOf(e.resource()), UsageUnit.parse(e.unit()).orElseThrow(), g, bucket(e.time(), g));
            BigDecimal[] sum = sums.computeIfAbsent(key, k -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            sum[0] = sum[0].add(e.quantity());
            sum[1] = sum[1].add(BigDecimal.ONE);
        }
        return sums;
    }

    @Test
    void rollups_equalIndependentSumsForEveryHourDayAndMonth() {
        for (String tenant : TENANTS) {
            for (Granularity g : List.of(Granularity.HOUR, Granularity.DAY, Granularity.MONTH)) {
                Map<UsageKey, BigDecimal[]> expected = expected(tenant, g);
                List<VersionedWindow> stored = reader.all(tenant, g, MONTH, NEXT_MONTH);
                assertEquals(expected.size(), stored.size(), tenant + " " + g + " windows");
                for (VersionedWindow w : stored) {
                    BigDecimal[] sum = expected.get(w.key());
                    assertEquals(0, sum[0].compareTo(w.totals().quantity()), w.key() + " quantity");
                    assertEquals(sum[1].longValueExact(), w.totals().events(), w.key() + " events");
                }
            }
        }
    }

    @Test
    void runningEveryScheduleAgain_changesNothing() {
        assertEquals(beforeRepeat, afterRepeat);
        for (Map<String, Object> run : List.of(firstRepeat, lastRunAgain)) {
            for (Object step : run.values()) {
                @SuppressWarnings("unchecked") Map<String, Object> counts = (Map<String, Object>) step;
                assertEquals(0, counts.get(counts.containsKey("pages") ? "pages" : "marks"), "nothing left to fold or roll");
                assertEquals(0, counts.get("written"));
            }
        }
    }

    @Test
    void costs_equalAnIndependentComputationToTheLastDecimal() {
        UsagePricer pricer = new UsagePricer(book());
        for (String tenant : TENANTS) {
            for (Granularity g : List.of(Granularity.HOUR, Granularity.DAY, Granularity.MONTH)) {
                List<UsageLine> lines = reader.all(tenant, g, MONTH, NEXT_MONTH).stream()
                        .map(w -> new UsageLine(w.key(), w.totals().quantity())).toList();
                PricedUsage priced = pricer.priceWithTotals(lines, MonthToDate.empty(), MONTH);
                BigDecimal[] independent = independentCost(expected(tenant, g));
                assertEquals(independent[0], priced.totalUsd(), tenant + " " + g + " USD");
                assertEquals(independent[1], priced.totalTokens(), tenant + " " + g + " tokens");
                assertEquals(6, priced.totalUsd().scale());
            }
        }
    }

    @Test
    void rateChange_pricesHoursBeforeItAtTheOldRateAndAfterItAtTheNew() {
        UsagePricer pricer = new UsagePricer(book());
        List<UsageLine> gpuHours = reader.all("acme", Granularity.HOUR, MONTH, NEXT_MONTH).stream()
                .filter(w -> w.key().resource() == Resource.GPU)
                .map(w -> new UsageLine(w.key(), w.totals().quantity())).toList();
        var lines = pricer.price(gpuHours, MonthToDate.empty());
        assertTrue(lines.stream().anyMatch(l -> l.unitRate().equals(GPU_OLD)));
        assertTrue(lines.stream().anyMatch(l -> l.unitRate().equals(GPU_NEW)));
        lines.forEach(line -> assertEquals(
                line.key().windowStart().isBefore(GPU_RATE_CHANGE) ? GPU_OLD : GPU_NEW, line.unitRate(), line.key().toString()));
    }

    /** Cost per CONTRACT §2 written from scratch: tier portions by cumulative month quantity, rounded per portion. */
    private static BigDecimal[] independentCost(Map<UsageKey, BigDecimal[]> windows) {
        BigDecimal total = BigDecimal.ZERO.setScale(6);
        Map<String, BigDecimal> cumulative = new TreeMap<>();
        for (Map.Entry<UsageKey, BigDecimal[]> entry : windows.entrySet()) {
            UsageKey key = entry.getKey();
            BigDecimal q = entry.getValue()[0];
            String position = key.resource() + "/" + bucket(key.windowStart(), Granularity.MONTH);
            BigDecimal before = cumulative.getOrDefault(position, BigDecimal.ZERO);
            cumulative.put(position, before.add(q));
            switch (key.resource()) {
                case GPU -> total = total.add(q.multiply(key.windowStart().isBefore(GPU_RATE_CHANGE) ? GPU_OLD : GPU_NEW)
                        .setScale(6, RoundingMode.HALF_EVEN));
                case NETWORK -> total = total.add(q.multiply(NETWORK).setScale(6, RoundingMode.HALF_EVEN));
                case INFERENCE -> {
                    BigDecimal lo = BigDecimal.ZERO;
                    for (int tier = 0; tier < TOKEN_RATES.length; tier++) {
                        BigDecimal hi = tier < TOKEN_BOUNDS.length ? TOKEN_BOUNDS[tier] : null;
                        BigDecimal portion = clamp(before.add(q), lo, hi).subtract(clamp(before, lo, hi));
                        if (portion.signum() > 0) {
                            total = total.add(portion.multiply(TOKEN_RATES[tier]).setScale(6, RoundingMode.HALF_EVEN));
                        }
                        lo = hi;
                    }
                }
                default -> throw new IllegalStateException("unexpected resource " + key.resource());
            }
        }
        return new BigDecimal[] {total, total.divide(USD_PER_TOKEN, 6, RoundingMode.HALF_EVEN)};
    }

    private static BigDecimal clamp(BigDecimal x, BigDecimal lo, BigDecimal hi) {
        BigDecimal v = x.max(lo);
        return hi == null ? v : v.min(hi);
    }
}
