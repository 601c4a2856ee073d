package com.poolhub.metering.usageapi.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.EventBridgeFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.pricing.PriceBookJson;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usageapi.AnomalyAnalysis;
import com.poolhub.metering.usageapi.AnomalyAnnouncer;
import com.poolhub.metering.usageapi.AnomalyScan;
import com.poolhub.metering.usageapi.DynamoAnomalyLog;
import com.poolhub.metering.usageapi.UsageApi;
import com.poolhub.metering.usageapi.UsageCosts;
import com.poolhub.metering.usageapi.UsageTenants;
import com.poolhub.metering.config.UsageRetention;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The usage API over usage ingested through the real pipeline and rolled up: priced lines, paging,
 * caller checks, trend, anomalies read by the route, and the daily scan announcing each anomaly
 * once on a local EventBridge endpoint.
 */
class UsageApiFunctionTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final LocalDate FIRST_DAY = LocalDate.parse("2026-10-22");
    private static final LocalDate LAST_DAY = LocalDate.parse("2026-11-22");
    private static final List<LocalDate> SPIKES = List.of(LocalDate.parse("2026-11-03"), LocalDate.parse("2026-11-17"));
    /** A second tenant with anomalies of its own, for the daily scan. */
    private static final List<LocalDate> INITECH_SPIKES = List.of(LocalDate.parse("2026-11-10"));
    private static final BigDecimal GPU_RATE = new BigDecimal("0.000800");
    private static final String EVENTS = "../../events/";

    private static EventBridgeFaultProxy eventBridge;
    private static BusSubscription announcements;
    private static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;
    private static AnomalyScanFunction scan;
    private static String usageTable;
    private static final Map<LocalDate, BigDecimal> GPU_SECONDS_BY_DAY = new TreeMap<>();

    @BeforeAll
    static void ingestAndRollUp() {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbClient dynamo = LocalDynamo.client();
        var pipeline = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 4).pipeline(dynamo, CLOCK);
        Random random = new Random(42);
        List<String> events = new ArrayList<>();
        int n = 0;
        for (LocalDate day = FIRST_DAY; !day.isAfter(LAST_DAY); day = day.plusDays(1)) {
            Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            for (int i = 0; i < 4; i++) {
                BigDecimal seconds = BigDecimal.valueOf(25_000L * (90 + random.nextInt(21)), 2)
                        .multiply(SPIKES.contains(day) ? BigDecimal.valueOf(5) : BigDecimal.ONE);
                GPU_SECONDS_BY_DAY.merge(day, seconds, BigDecimal::add);
                events.add(UsageEventJson.gpuSeconds("g" + n++, "acme", seconds.toPlainString(), midnight.plusSeconds(6 * 3600L * i + 61)));
            }
            for (int i = 0; i < 2; i++) {
                events.add(UsageEventJson.event("//nodes/llm-1", "t" + n++, "acme", "INFERENCE", "tokens", "600000",
                        midnight.plusSeconds(12 * 3600L * i + 600)).toString());
            }
        }
        for (LocalDate day = FIRST_DAY; !day.isAfter(LAST_DAY); day = day.plusDays(1)) {
            BigDecimal seconds = BigDecimal.valueOf(40_000L * (90 + random.nextInt(21)), 2)
                    .multiply(INITECH_SPIKES.contains(day) ? BigDecimal.valueOf(6) : BigDecimal.ONE);
            events.add(UsageEventJson.gpuSeconds("i" + n++, "initech", seconds.toPlainString(),
                    day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3 * 3600L)));
        }
        events.add(UsageEventJson.gpuSeconds("other", "globex", "10", Instant.parse("2026-11-20T10:00:00Z")));
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            records.add(new StreamRecord("shardId-000000000000", Integer.toString(i), "acme", CLOCK.instant(),
                    ByteBuffer.wrap(events.get(i).getBytes(StandardCharsets.UTF_8))));
        }
        IngestReport report = pipeline.process(records);
        assertEquals(0, report.rejected());
        new DynamoUsageRollup(dynamo, tables.get(Table.USAGE), UsageMetricsSink.none(),
                Executors.newFixedThreadPool(4, Workers.daemon("api-test-rollup")), 100_000).runAll();

        eventBridge = EventBridgeFaultProxy.start();
        EventBridgeClient events2 = LocalAws.eventBridge(eventBridge.endpoint());
        String busName = BusSubscription.freshBus("usage-api");
        announcements = BusSubscription.toDetailType(busName, AnomalyAnnouncer.ANOMALY_EVENT);
        usageTable = tables.get(Table.USAGE);
        UsageCosts costs = new UsageCosts(new DynamoUsageReader(dynamo, usageTable), new UsagePricer(PriceBookJson.shipped()));
        function = withRetention(UsageRetention.DEFAULTS);
        scan = new AnomalyScanFunction(new AnomalyScan(new UsageTenants(dynamo, usageTable),
                new AnomalyAnalysis(costs, AnomalyDetector.defaults()),
                new AnomalyAnnouncer(new DynamoAnomalyLog(dynamo, usageTable, CLOCK), new EventBridgePublisher(events2, busName), CLOCK),
                CLOCK));
    }

    @AfterAll
    static void stop() {
        announcements.close();
        eventBridge.close();
    }

    @BeforeEach
    void clearEvents() {
        eventBridge.failNextEntries(0);
    }

    private static APIGatewayProxyRequestEvent get(String path, Map<String, String> query, String role, String principal) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "usage-api-get-usage.json");
        event.setPath(path);
        event.setQueryStringParameters(query);
        event.getRequestContext().setAuthorizer(role == null ? null : new HashMap<>(Map.of("role", role, "principal", principal)));
        return event;
    }

    private static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void getUsage_sampleEvent_returnsPricedDayLinesAndTotalsInUsdAndTokens() {
        APIGatewayProxyResponseEvent response = function.handleRequest(
                EventLoader.loadApiGatewayRestEvent(EVENTS + "usage-api-get-usage.json"), null);

        assertEquals(200, response.getStatusCode());
        JsonNode body = body(response);
        BigDecimal expectedGpu = BigDecimal.ZERO;
        int gpuLines = 0;
        BigDecimal sum = BigDecimal.ZERO;
        for (JsonNode line : body.get("lines")) {
            BigDecimal cost = new BigDecimal(line.get("cost").asText());
            assertEquals(6, cost.scale());
            assertEquals(new BigDecimal(line.get("quantity").asText()).multiply(new BigDecimal(line.get("rate").asText()))
                    .setScale(6, RoundingMode.HALF_EVEN), cost);
            sum = sum.add(cost);
            if (line.get("resource").asText().equals("GPU")) {
                LocalDate day = LocalDate.parse(line.get("windowStart").asText().substring(0, 10));
                assertEquals(0, GPU_SECONDS_BY_DAY.get(day).compareTo(new BigDecimal(line.get("quantity").asText())));
                expectedGpu = expectedGpu.add(GPU_SECONDS_BY_DAY.get(day).multiply(GPU_RATE).setScale(6, RoundingMode.HALF_EVEN));
                gpuLines++;
            }
        }
        assertEquals(22, gpuLines);
        assertTrue(expectedGpu.signum() > 0);
        JsonNode totals = body.get("totals");
        assertEquals("RANGE", totals.get("scope").asText());
        assertEquals(sum.setScale(6).toPlainString(), totals.get("usd").asText());
        assertEquals(sum.divide(new BigDecimal("0.25"), 6, RoundingMode.HALF_EVEN).toPlainString(), totals.get("tokens").asText());
        // 1.2M tokens a day cross the 10M first tier during day 9: that day is priced in two tiers
        List<String> tokenTiers = new ArrayList<>();
        body.get("lines").forEach(l -> {
            if (l.get("windowStart").asText().startsWith("2026-11-09") && l.get("unit").asText().equals("tokens")) {
                tokenTiers.add(l.get("tier").asText() + ":" + l.get("quantity").asText());
            }
        });
        assertEquals(List.of("0:400000", "1:800000"), tokenTiers);
    }

    @Test
    void getUsage_pagedHours_giveTheSameLinesAsOnePage() {
        Map<String, String> query = new HashMap<>(Map.of("from", "2026-11-08T00:00:00Z", "to", "2026-11-11T00:00:00Z",
                "granularity", "HOUR", "limit", "1000"));
        JsonNode whole = body(function.handleRequest(get("/usage/acme", query, "TENANT", "acme"), null));
        List<String> paged = new ArrayList<>();
        query.put("limit", "5");
        int pages = 0;
        while (true) {
            JsonNode page = body(function.handleRequest(get("/usage/acme", query, "TENANT", "acme"), null));
            page.get("lines").forEach(l -> paged.add(l.toString()));
            pages++;
            if (page.get("nextToken").isNull()) {
                break;
            }
            assertEquals("PAGE", page.get("totals").get("scope").asText());
            query.put("nextToken", page.get("nextToken").asText());
        }
        List<String> all = new ArrayList<>();
        whole.get("lines").forEach(l -> all.add(l.toString()));
        assertTrue(pages > 3);
        assertEquals(all, paged);
    }

    @Test
    void getUsage_otherTenantsData_is403() {
        APIGatewayProxyResponseEvent response = function.handleRequest(get("/usage/acme", null, "TENANT", "globex"), null);
        assertEquals(403, response.getStatusCode());
        assertEquals("FORBIDDEN", body(response).get("error").get("code").asText());
    }

    @Test
    void getUsage_withoutCaller_is401_andAdminSeesAnyTenant() {
        assertEquals(401, function.handleRequest(get("/usage/acme", null, null, null), null).getStatusCode());
        assertEquals(200, function.handleRequest(get("/usage/globex", null, "ADMIN", "ops"), null).getStatusCode());
        assertEquals(403, function.handleRequest(get("/usage/acme", null, "MINER", "acme"), null).getStatusCode());
    }

    @Test
    void getUsage_badInput_is400WithTheErrorBody() {
        for (Map<String, String> query : List.of(Map.of("granularity", "WEEK"), Map.of("from", "yesterday"),
                Map.of("from", "2026-11-10T00:00:00Z", "to", "2026-11-01T00:00:00Z"), Map.of("nextToken", "bm9wZQ"),
                Map.of("limit", "0"), Map.of("from", "2020-01-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"))) {
            APIGatewayProxyResponseEvent response = function.handleRequest(get("/usage/acme", query, "TENANT", "acme"), null);
            assertEquals(400, response.getStatusCode(), query.toString());
            assertEquals("VALIDATION", body(response).get("error").get("code").asText());
        }
    }

    private static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> withRetention(UsageRetention retention) {
        DynamoDbClient dynamo = LocalDynamo.client();
        UsageCosts costs = new UsageCosts(new DynamoUsageReader(dynamo, usageTable), new UsagePricer(PriceBookJson.shipped()));
        return ConformingApi.of(new UsageApiFunction(new UsageApi(costs, new UsageTenants(dynamo, usageTable),
                AnomalyDetector.defaults(), retention, CLOCK)));
    }

    @Test
    void getUsage_fromBeforeTheEarliestWindowKept_is400NamingIt_fromItsFirstWindowKept_is200() {
        // at 2026-11-23T10:00Z, 400 days back is 2025-10-19T10:00Z: the hour from 10:00 is the first one kept
        Map<String, String> lastKept = Map.of("from", "2025-10-19T10:00:00Z", "to", "2025-10-20T00:00:00Z", "granularity", "HOUR");
        assertEquals(200, function.handleRequest(get("/usage/acme", lastKept, "TENANT", "acme"), null).getStatusCode());
        Map<String, String> expired = Map.of("from", "2025-10-19T09:59:59Z", "to", "2025-10-20T00:00:00Z", "granularity", "HOUR");
        APIGatewayProxyResponseEvent refused = function.handleRequest(get("/usage/acme", expired, "TENANT", "acme"), null);
        assertEquals(400, refused.getStatusCode(), refused.getBody());
        assertTrue(body(refused).get("error").get("message").asText().contains("HOUR windows are kept from 2025-10-19T10:00:00Z"),
                refused.getBody());
        // months are kept from the month holding the horizon; minutes 36 days (the late-arrival limit and a day)
        Map<String, String> month = Map.of("from", "2025-10-01T00:00:00Z", "to", "2025-11-01T00:00:00Z", "granularity", "MONTH");
        assertEquals(200, function.handleRequest(get("/usage/acme", month, "TENANT", "acme"), null).getStatusCode());
        Map<String, String> september = Map.of("from", "2025-09-30T00:00:00Z", "to", "2025-11-01T00:00:00Z", "granularity", "MONTH");
        assertEquals(400, function.handleRequest(get("/usage/acme", september, "TENANT", "acme"), null).getStatusCode());
        Map<String, String> minutes = Map.of("from", "2026-10-18T09:59:00Z", "to", "2026-10-18T11:00:00Z", "granularity", "MINUTE");
        assertEquals(400, function.handleRequest(get("/usage/acme", minutes, "TENANT", "acme"), null).getStatusCode());
        Map<String, String> keptMinutes = Map.of("from", "2026-10-18T10:00:00Z", "to", "2026-10-18T11:00:00Z", "granularity", "MINUTE");
        assertEquals(200, function.handleRequest(get("/usage/acme", keptMinutes, "TENANT", "acme"), null).getStatusCode());
    }

    @Test
    void getUsage_beforeOrAcrossThePriceBooksStart_is400NamingIt() {
        // kept for ten years here, so that the price book's start is what refuses
        var function = withRetention(new UsageRetention(Duration.ofDays(36), Duration.ofDays(3650)));
        for (Map<String, String> query : List.of(Map.of("from", "2019-06-01T00:00:00Z", "to", "2019-07-01T00:00:00Z"),
                Map.of("from", "2019-12-15T00:00:00Z", "to", "2020-01-15T00:00:00Z", "granularity", "HOUR"),
                Map.of("from", "2020-01-15T00:00:00Z", "to", "2020-02-15T00:00:00Z", "granularity", "MONTH"))) {
            APIGatewayProxyResponseEvent response = function.handleRequest(get("/usage/acme", query, "TENANT", "acme"), null);
            if (query.get("granularity") != null && query.get("granularity").equals("MONTH")) {
                assertEquals(200, response.getStatusCode(), "January 2020 is priced: " + response.getBody());
                continue;
            }
            assertEquals(400, response.getStatusCode(), query + ": " + response.getBody());
            assertTrue(body(response).get("error").get("message").asText().contains("2020-01-01T00:00:00Z"),
                    response.getBody());
        }
    }

    @Test
    void getUsage_rangeLimit_holdsForTheRangeAsked_notForItsFirstWindow() {
        Map<String, String> asked = Map.of("from", "2025-10-31T00:00:00Z", "to", "2026-11-23T00:00:00Z", "granularity", "MONTH");
        APIGatewayProxyResponseEvent within = function.handleRequest(get("/usage/acme", asked, "TENANT", "acme"), null);
        assertEquals(200, within.getStatusCode(), "388 days asked: " + within.getBody());
        assertEquals("2025-10-01T00:00:00Z", body(within).get("from").asText());
        Map<String, String> tooLong = Map.of("from", "2025-10-17T00:00:00Z", "to", "2026-11-23T00:00:00Z", "granularity", "MONTH");
        assertEquals(400, function.handleRequest(get("/usage/acme", tooLong, "TENANT", "acme"), null).getStatusCode());
    }

    @Test
    void getUsage_tokenOfAnotherRangeTenantOrCaller_orCrafted_is400() {
        Map<String, String> query = new HashMap<>(Map.of("from", "2026-11-08T00:00:00Z", "to", "2026-11-11T00:00:00Z",
                "granularity", "HOUR", "limit", "5"));
        String token = body(function.handleRequest(get("/usage/acme", query, "ADMIN", "ops"), null)).get("nextToken").asText();
        Map<String, String> otherRange = new HashMap<>(query);
        otherRange.put("to", "2026-11-12T00:00:00Z");
        otherRange.put("nextToken", token);
        Map<String, String> same = new HashMap<>(query);
        same.put("nextToken", token);
        String crafted = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"after\":\"2026-13-45T00:00:00Z#GPU#compute_seconds\"}".getBytes(StandardCharsets.UTF_8));
        for (APIGatewayProxyRequestEvent request : List.of(get("/usage/acme", otherRange, "ADMIN", "ops"),
                get("/usage/globex", same, "ADMIN", "ops"), get("/usage/acme", same, "TENANT", "acme"),
                get("/usage/acme", Map.of("nextToken", crafted), "TENANT", "acme"))) {
            APIGatewayProxyResponseEvent response = function.handleRequest(request, null);
            assertEquals(400, response.getStatusCode(), request.getPath() + " " + request.getQueryStringParameters()
                    + ": " + response.getBody());
            assertEquals("VALIDATION", body(response).get("error").get("code").asText());
        }
        assertEquals(200, function.handleRequest(get("/usage/acme", same, "ADMIN", "ops"), null).getStatusCode());
    }

    @Test
    void trend_sampleEvent_returnsADailySeriesWithItsBreakdown() {
        JsonNode body = body(function.handleRequest(EventLoader.loadApiGatewayRestEvent(EVENTS + "usage-api-get-trend.json"), null));

        assertEquals(30, body.get("series").size());
        assertEquals("2026-11-23", body.get("series").get(29).get("date").asText());
        BigDecimal total = BigDecimal.ZERO;
        for (JsonNode point : body.get("series")) {
            BigDecimal parts = BigDecimal.ZERO;
            for (JsonNode cost : point.get("byResource")) {
                parts = parts.add(new BigDecimal(cost.asText()));
            }
            assertEquals(new BigDecimal(point.get("costUsd").asText()), parts.setScale(6));
            total = total.add(new BigDecimal(point.get("costUsd").asText()));
        }
        assertEquals(total.setScale(6).toPlainString(), body.get("totalUsd").asText());
        LocalDate day = LocalDate.parse("2026-11-05");
        JsonNode point = body.get("series").get(30 - 1 - (int) (LocalDate.parse("2026-11-23").toEpochDay() - day.toEpochDay()));
        assertEquals(day.toString(), point.get("date").asText());
        assertEquals(GPU_SECONDS_BY_DAY.get(day).multiply(GPU_RATE).setScale(6, RoundingMode.HALF_EVEN).toPlainString(),
                point.get("byResource").get("GPU").asText());
    }

    @Test
    void anomalies_findTheSpikes_andTheGetWritesAndPublishesNothing() {
        int logged = anomalyLogItems();
        int announced = announcements.received(AnomalyAnnouncer.ANOMALY_EVENT).size();

        JsonNode first = body(function.handleRequest(EventLoader.loadApiGatewayRestEvent(EVENTS + "usage-api-get-anomalies.json"), null));

        List<String> days = new ArrayList<>();
        first.get("anomalies").forEach(a -> {
            days.add(a.get("date").asText());
            assertEquals("HIGH", a.get("direction").asText());
            assertTrue(a.get("zScore").asDouble() > 3);
            assertTrue(a.get("iqrScore").asDouble() > 3);
        });
        assertEquals(SPIKES.stream().map(LocalDate::toString).toList(), days);
        assertEquals(logged, anomalyLogItems());
        assertEquals(announced, announcements.received(AnomalyAnnouncer.ANOMALY_EVENT).size());
    }

    @Test
    void scan_announcesEveryTenantsAnomaliesOnce_evenWhenPublishingFailsAtFirst() {
        ScheduledEvent schedule = EventLoader.loadScheduledEvent(EVENTS + "usage-anomaly-scan-schedule.json");
        // three events, each refused on every one of the publisher's five attempts
        eventBridge.failNextEntries(15);
        Map<String, Object> failing = scan.handleRequest(schedule, null);
        assertEquals(3, failing.get("tenants"), "acme, globex and initech have usage: " + failing);
        assertEquals(3, failing.get("anomalies"));
        assertEquals(0, failing.get("published"));
        assertEquals(3, failing.get("unpublished"));
        assertEquals(0, announcements.received(AnomalyAnnouncer.ANOMALY_EVENT).size());

        Map<String, Object> retried = scan.handleRequest(schedule, null);
        assertEquals(3, retried.get("published"), retried.toString());
        Map<String, Object> again = scan.handleRequest(schedule, null);
        assertEquals(3, again.get("anomalies"));
        assertEquals(0, again.get("published"), again.toString());
        assertEquals(0, again.get("unpublished"));

        List<BusSubscription.Event> published = announcements.received(AnomalyAnnouncer.ANOMALY_EVENT);
        assertEquals(List.of("acme 2026-11-03", "acme 2026-11-17", "initech 2026-11-10"), published.stream()
                .map(e -> e.detail().get("tenant").asText() + " " + e.detail().get("date").asText()).sorted().toList());
        JsonNode detail = published.get(0).detail();
        assertNotNull(detail.get("costUsd"));
        assertEquals("poolhub", published.get(0).source());
        assertFalse(detail.get("methods").isEmpty());
        assertEquals(3, anomalyLogItems());
    }

    /** The anomaly log's items in the usage table. */
    private static int anomalyLogItems() {
        return LocalDynamo.client().scan(ScanRequest.builder().tableName(usageTable)
                .filterExpression("contains(pk, :a)")
                .expressionAttributeValues(Map.of(":a", AttributeValue.fromS("#ANOMALY")))
                .build()).count();
    }
}
