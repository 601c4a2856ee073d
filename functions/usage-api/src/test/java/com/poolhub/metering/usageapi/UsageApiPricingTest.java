package com.poolhub.metering.usageapi;

import static com.poolhub.metering.usageapi.UsageQueries.invoiceLine;
import static com.poolhub.metering.usageapi.UsageQueries.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.Rate;
import com.poolhub.metering.pricing.RateKey;
import com.poolhub.metering.pricing.TokenPrice;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usageapi.function.UsageApiFunction;
import com.poolhub.metering.config.UsageRetention;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * One pricing rule in every view: a month whose GPU rate changes at 13:00 on the 15th (an hour that
 * does not start a day), each hour of it used. The MONTH lines are the invoice's lines (each hour at
 * its own rate, summed per rate version, rounded once), the DAY lines sum to them, and the README's
 * rounding claim holds.
 */
class UsageApiPricingTest {
    private static final Instant BOOK_START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant CHANGE = Instant.parse("2026-03-15T13:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    private static final BigDecimal OLD_RATE = new BigDecimal("0.0008");
    private static final BigDecimal NEW_RATE = new BigDecimal("0.0009");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-02T00:00:00Z"), ZoneOffset.UTC);
    private static final RateKey GPU = new RateKey(Resource.GPU, UsageUnit.COMPUTE_SECONDS);
    private static final BigDecimal HALF_MICRO = new BigDecimal("0.0000005");

    private static final AtomicInteger QUERIES = new AtomicInteger();
    private static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;
    private static BigDecimal secondsBefore = BigDecimal.ZERO;
    private static BigDecimal secondsAfter = BigDecimal.ZERO;

    @BeforeAll
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // a whole month of hours through ingest and every rollup
    static void aMonthOfHours() {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbClient dynamo = LocalDynamo.client();
        var pipeline = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 4).pipeline(dynamo, CLOCK);
        List<StreamRecord> records = new ArrayList<>();
        int h = 0;
        for (Instant hour = MARCH; hour.isBefore(APRIL); hour = hour.plusSeconds(3600), h++) {
            // four decimals of seconds: each hour's exact cost has eight decimals, so rounding place matters
            BigDecimal seconds = new BigDecimal("3000.0000").add(BigDecimal.valueOf(h * 7919L % 10_000, 4))
                    .add(BigDecimal.valueOf(h % 97));
            if (hour.isBefore(CHANGE)) {
                secondsBefore = secondsBefore.add(seconds);
            } else {
                secondsAfter = secondsAfter.add(seconds);
            }
            String event = UsageEventJson.gpuSeconds("h" + h, "acme", seconds.toPlainString(), hour.plusSeconds(90));
            records.add(new StreamRecord("shardId-000000000000", Integer.toString(h), "acme", CLOCK.instant(),
                    ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8))));
        }
        assertEquals(0, pipeline.process(records).rejected());
        new DynamoUsageRollup(dynamo, tables.get(Table.USAGE), UsageMetricsSink.none(),
                Executors.newFixedThreadPool(2, Workers.daemon("pricing-test-rollup")), 100_000).runAll();

        PriceBook book = new PriceBook(List.of(Rate.flat(GPU, BOOK_START, OLD_RATE), Rate.flat(GPU, CHANGE, NEW_RATE)),
                List.of(new TokenPrice(BOOK_START, new BigDecimal("0.25"))));
        UsageCosts costs = new UsageCosts(new DynamoUsageReader(counting(dynamo), tables.get(Table.USAGE)), new UsagePricer(book));
        function = ConformingApi.of(new UsageApiFunction(new UsageApi(costs, new UsageTenants(dynamo, tables.get(Table.USAGE)), AnomalyDetector.defaults(), UsageRetention.DEFAULTS, CLOCK)));
    }

    /** The client, counting the queries made through it. */
    private static DynamoDbClient counting(DynamoDbClient dynamo) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("query")) {
                        QUERIES.incrementAndGet();
                    }
                    try {
                        return method.invoke(dynamo, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static BigDecimal total(JsonNode body) {
        return new BigDecimal(body.get("totals").get("usd").asText());
    }

    @Test
    void monthLines_areTheInvoiceLines_onePerRateVersion() {
        JsonNode month = usage(function, "acme", "MONTH", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");

        List<String> lines = new ArrayList<>();
        month.get("lines").forEach(l -> lines.add(l.get("rateEffectiveFrom").asText() + " " + l.get("quantity").asText()
                + " x " + l.get("rate").asText() + " = " + l.get("cost").asText()));
        assertEquals(List.of(
                "2025-01-01T00:00:00Z " + secondsBefore.toPlainString() + " x 0.0008 = " + invoiceLine(secondsBefore, OLD_RATE),
                "2026-03-15T13:00:00Z " + secondsAfter.toPlainString() + " x 0.0009 = " + invoiceLine(secondsAfter, NEW_RATE)),
                lines);
        BigDecimal invoiceTotal = invoiceLine(secondsBefore, OLD_RATE).add(invoiceLine(secondsAfter, NEW_RATE));
        assertEquals(invoiceTotal.toPlainString(), month.get("totals").get("usd").asText());
        // the rate at the month's start would have charged every hour at 0.0008
        assertNotEquals(0, invoiceTotal.compareTo(invoiceLine(secondsBefore.add(secondsAfter), OLD_RATE)));
    }

    @Test
    void dayLines_splitTheDayOfTheChangeAtItsHour_andSumToTheMonthToTheCent() {
        JsonNode days = usage(function, "acme", "DAY", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
        JsonNode month = usage(function, "acme", "MONTH", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");

        List<String> fifteenth = new ArrayList<>();
        BigDecimal quantityAtNewRate = BigDecimal.ZERO;
        for (JsonNode line : days.get("lines")) {
            if (line.get("windowStart").asText().equals("2026-03-15T00:00:00Z")) {
                fifteenth.add(line.get("rate").asText() + " from " + line.get("rateEffectiveFrom").asText());
            }
            if (line.get("rate").asText().equals("0.0009")) {
                quantityAtNewRate = quantityAtNewRate.add(new BigDecimal(line.get("quantity").asText()));
            }
        }
        assertEquals(List.of("0.0008 from 2025-01-01T00:00:00Z", "0.0009 from 2026-03-15T13:00:00Z"), fifteenth);
        assertEquals(0, secondsAfter.compareTo(quantityAtNewRate), "hours from 13:00 on the 15th at the new rate");
        assertEquals(32, days.get("lines").size(), "31 days, the 15th in two lines");
        assertEquals(total(month).setScale(2, RoundingMode.HALF_EVEN), total(days).setScale(2, RoundingMode.HALF_EVEN));
    }

    /**
     * README: the invoice total equals the usage API's MONTH total to the micro-dollar, and a DAY or
     * HOUR total differs from it by rounding only, at most half a micro-dollar per line.
     */
    @Test
    void readmeRoundingClaim_monthExact_finerViewsWithinHalfAMicroDollarPerLine() {
        BigDecimal invoiceTotal = invoiceLine(secondsBefore, OLD_RATE).add(invoiceLine(secondsAfter, NEW_RATE));
        JsonNode month = usage(function, "acme", "MONTH", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
        assertEquals(0, invoiceTotal.compareTo(total(month)));
        for (String granularity : List.of("DAY", "HOUR")) {
            JsonNode finer = usage(function, "acme", granularity, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
            assertEquals("RANGE", finer.get("totals").get("scope").asText());
            BigDecimal bound = HALF_MICRO.multiply(BigDecimal.valueOf(finer.get("lines").size()));
            BigDecimal gap = total(finer).subtract(invoiceTotal).abs();
            assertTrue(gap.compareTo(bound) <= 0, granularity + " total " + total(finer) + " vs " + invoiceTotal);
        }
    }

    @Test
    void monthQuery_overFourHundredDays_readsTheMonthsThenTheirHours() {
        QUERIES.set(0);
        JsonNode month = usage(function, "acme", "MONTH", "2025-03-01T00:00:00Z", "2026-04-02T00:00:00Z");
        assertEquals(2, month.get("lines").size());
        // one query for the month windows, one for their 744 hour items (under 1 MB)
        assertEquals(2, QUERIES.get());
    }
}
