package com.poolhub.metering.usageapi;

import static com.poolhub.metering.usageapi.UsageQueries.invoiceLine;
import static com.poolhub.metering.usageapi.UsageQueries.usage;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import com.poolhub.metering.aws.pricing.DynamoPriceOverrideStore;
import com.poolhub.metering.config.UsageRetention;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.pricing.PriceBook;
import com.poolhub.metering.pricing.PriceOverride;
import com.poolhub.metering.pricing.Rate;
import com.poolhub.metering.pricing.RateKey;
import com.poolhub.metering.pricing.TenantPricing;
import com.poolhub.metering.pricing.TokenPrice;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usageapi.function.UsageApiFunction;
import java.math.BigDecimal;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A tenant's price override from 07:00 on 20 March, stored in the billing table as the admin route
 * stores it: the usage API prices acme's hours before it at the book's rate and the hours from it
 * at the override's, one MONTH line per rate version rounded once (the invoice's rule), and the
 * MONTH total is the invoice total; the 20th has one DAY line per rate. Another tenant keeps the book's rate.
 */
class UsageApiOverridePricingTest {
    private static final Instant BOOK_START = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant OVERRIDE_FROM = Instant.parse("2026-03-20T07:00:00Z");
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");
    private static final Instant APRIL = Instant.parse("2026-04-01T00:00:00Z");
    private static final BigDecimal BOOK_RATE = new BigDecimal("0.0008");
    private static final BigDecimal OVERRIDE_RATE = new BigDecimal("0.00055");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-04-02T00:00:00Z"), ZoneOffset.UTC);
    private static final RateKey GPU = new RateKey(Resource.GPU, UsageUnit.COMPUTE_SECONDS);

    private static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;
    private static BigDecimal secondsBefore = BigDecimal.ZERO;
    private static BigDecimal secondsAfter = BigDecimal.ZERO;

    @BeforeAll
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    static void marchEverySixHours() {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbClient dynamo = LocalDynamo.client();
        var pipeline = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 4).pipeline(dynamo, CLOCK);
        List<StreamRecord> records = new ArrayList<>();
        int h = 0;
        for (Instant hour = MARCH.plusSeconds(3600); hour.isBefore(APRIL); hour = hour.plusSeconds(6 * 3600), h++) {
            BigDecimal seconds = new BigDecimal("2000.0000").add(BigDecimal.valueOf(h * 7919L % 10_000, 4));
            if (hour.isBefore(OVERRIDE_FROM)) {
                secondsBefore = secondsBefore.add(seconds);
            } else {
                secondsAfter = secondsAfter.add(seconds);
            }
            for (String tenant : List.of("acme", "beta")) {
                String event = UsageEventJson.gpuSeconds(tenant + h, tenant, seconds.toPlainString(), hour.plusSeconds(90));
                records.add(new StreamRecord("shardId-000000000000", Integer.toString(records.size()), tenant, CLOCK.instant(),
                        ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8))));
            }
        }
        assertEquals(0, pipeline.process(records).rejected());
        new DynamoUsageRollup(dynamo, tables.get(Table.USAGE), UsageMetricsSink.none(),
                Executors.newFixedThreadPool(2, Workers.daemon("override-test-rollup")), 100_000).runAll();

        DynamoPriceOverrideStore overrides = new DynamoPriceOverrideStore(dynamo, tables.get(Table.BILLING));
        overrides.put(new PriceOverride("acme", OVERRIDE_FROM, List.of(Rate.flat(GPU, OVERRIDE_FROM, OVERRIDE_RATE))));
        PriceBook book = new PriceBook(List.of(Rate.flat(GPU, BOOK_START, BOOK_RATE)),
                List.of(new TokenPrice(BOOK_START, new BigDecimal("0.25"))));
        UsageCosts costs = new UsageCosts(new DynamoUsageReader(dynamo, tables.get(Table.USAGE)),
                new TenantPricing(book, overrides, Duration.ofSeconds(60), CLOCK));
        function = ConformingApi.of(new UsageApiFunction(new UsageApi(costs, new UsageTenants(dynamo, tables.get(Table.USAGE)),
                AnomalyDetector.defaults(), UsageRetention.DEFAULTS, CLOCK)));
    }

    @Test
    void theMonth_hasABookLineAndAnOverrideLine_andItsTotalIsTheInvoiceTotal() {
        JsonNode month = usage(function, "acme", "MONTH", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");

        JsonNode lines = month.get("lines");
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("2025-01-01T00:00:00Z", lines.get(0).get("rateEffectiveFrom").asText());
        assertEquals(invoiceLine(secondsBefore, BOOK_RATE).toPlainString(), lines.get(0).get("cost").asText());
        assertEquals("2026-03-20T07:00:00Z", lines.get(1).get("rateEffectiveFrom").asText());
        assertEquals(0, OVERRIDE_RATE.compareTo(new BigDecimal(lines.get(1).get("rate").asText())));
        assertEquals(invoiceLine(secondsAfter, OVERRIDE_RATE).toPlainString(), lines.get(1).get("cost").asText());
        assertEquals(invoiceLine(secondsBefore, BOOK_RATE).add(invoiceLine(secondsAfter, OVERRIDE_RATE)).toPlainString(),
                month.get("totals").get("usd").asText());
    }

    @Test
    void theDayTheOverrideStarts_hasOneLinePerRate() {
        JsonNode day = usage(function, "acme", "DAY", "2026-03-20T00:00:00Z", "2026-03-21T00:00:00Z");

        assertEquals(2, day.get("lines").size(), day.toString());
    }

    @Test
    void anotherTenant_keepsTheBooksRate() {
        JsonNode month = usage(function, "beta", "MONTH", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");

        assertEquals(1, month.get("lines").size());
        assertEquals(invoiceLine(secondsBefore.add(secondsAfter), BOOK_RATE).toPlainString(), month.get("totals").get("usd").asText());
    }
}
