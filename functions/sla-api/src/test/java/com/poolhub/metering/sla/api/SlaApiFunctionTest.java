package com.poolhub.metering.sla.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.api.PageScope;
import com.poolhub.metering.api.PageToken;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.audit.StoredAuditRecord;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.EventBridgeFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.sla.SlaCollectionRequests;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaSettings;
import com.poolhub.metering.sla.SlaThresholds;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.TelemetryEventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

class SlaApiFunctionTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:30Z"), ZoneOffset.UTC);
    static EventBridgeFaultProxy bus;
    static BusSubscription announcements;
    static EventBridgeClient eventBridge;
    static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;
    static SlaCollector collector;
    static SlaCollectionRequests requests;
    static DynamoDbClient dynamo;
    static String slaTable;
    static SlaCollection collection;
    static DynamoAuditLog audit;

    @BeforeAll
    static void setUp() {
        bus = EventBridgeFaultProxy.start();
        eventBridge = LocalAws.eventBridge(bus.endpoint());
        String busName = BusSubscription.freshBus("sla-api");
        announcements = BusSubscription.toDetailType(busName, SlaCollectionRequests.REQUESTED_EVENT);
        dynamo = LocalDynamo.client();
        Map<Table, String> tables = LocalDynamo.freshTables();
        slaTable = tables.get(Table.SLA);
        var ingestion = new TelemetryIngestion(tables.get(Table.TELEMETRY), tables.get(Table.REJECTS), new BucketGrid(60),
                Duration.ofDays(35), Duration.ofDays(35), 4);
        KinesisEvents batch = KinesisEvents.shard("shardId-000000000000", 1);
        Instant start = Instant.parse("2026-11-22T10:00:00Z");
        for (String miner : List.of("gpu-miner-7", "gpu-miner-8", "gpu-miner-9")) {
            for (int minute = 0; minute < 120; minute++) {
                String status = miner.equals("gpu-miner-9") && minute > 60 ? "OFFLINE" : "ONLINE";
                batch.record(miner, TelemetryEventJson.heartbeat(miner + "-" + minute, miner,
                        start.plusSeconds(minute * 60L + 5), status, 4, 1).toString());
            }
            batch.record(miner, TelemetryEventJson.match(miner + "-m", miner, start.plusSeconds(100), "j", "250").toString());
        }
        ingestion.pipeline(dynamo, CLOCK).process(KinesisBatch.records(batch.build()));
        collection = new SlaCollection(tables.get(Table.TELEMETRY), tables.get(Table.SLA), new BucketGrid(60),
                Duration.ofDays(35), SlaThresholds.DEFAULTS, SlaSettings.DEFAULTS);
        EventBridgePublisher publisher = new EventBridgePublisher(eventBridge, busName);
        collector = collection.collector(dynamo, publisher, CLOCK);
        requests = collection.requests(dynamo, publisher, CLOCK);
        audit = new DynamoAuditLog(dynamo, tables.get(Table.AUDIT), Duration.ofDays(400), CLOCK);
        function = ConformingApi.of(new SlaApiFunction(new SlaApi(collector, requests, collection.repository(dynamo), CLOCK, 168,
                audit)));
    }

    @AfterAll
    static void tearDown() {
        eventBridge.close();
        announcements.close();
        bus.close();
    }

    static Stream<String> sampleEvents() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("../../events"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sla-api-")).sorted().toList().stream();
        }
    }

    static JsonNode body(APIGatewayProxyResponseEvent response) throws IOException {
        return Json.parse(response.getBody());
    }

    static APIGatewayProxyResponseEvent call(String method, String path, Map<String, String> query, String role,
                                             String principal) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod(method).withPath(path)
                .withQueryStringParameters(query);
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        if (role != null) {
            context.setAuthorizer(Map.of("role", role, "principal", principal));
        }
        event.setRequestContext(context);
        return function.handleRequest(event, null);
    }

    static APIGatewayProxyResponseEvent admin(String method, String path, Map<String, String> query) {
        return call(method, path, query, "ADMIN", "ops");
    }

    @ParameterizedTest
    @MethodSource("sampleEvents")
    void sampleEvent_asAdmin_returns200WithJson_or202ForACollectionRequest(String file) throws IOException {
        APIGatewayProxyResponseEvent response = function.handleRequest(
                EventLoader.loadApiGatewayRestEvent("../../events/" + file), null);
        assertEquals(file.equals("sla-api-post-collect.json") ? 202 : 200, response.getStatusCode(), file + ": " + response.getBody());
        assertTrue(body(response).isObject());
    }

    @Test
    void minerMetrics_forOwnMiner_returnsUptimeAndResponseTime() throws IOException {
        APIGatewayProxyResponseEvent response = call("GET", "/sla/metrics/gpu-miner-9",
                Map.of("from", "2026-11-22T10:00:00Z", "to", "2026-11-22T12:00:00Z"), "MINER", "gpu-miner-9");
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        assertEquals("50.833", body.at("/uptime/pct").asText());
        assertEquals("250.000", body.at("/responseTime/meanMs").asText());
        assertEquals("EXACT", body.at("/responseTime/percentiles").asText());
    }

    @Test
    void budgets_ofOwnMiner_giveTheBudgetSpent_andTheFastPageFiring() throws IOException {
        APIGatewayProxyResponseEvent response = call("GET", "/sla/budgets/gpu-miner-9", null, "MINER", "gpu-miner-9");
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode body = body(response);
        JsonNode uptime = body.at("/budgets/0");
        assertEquals("UPTIME", uptime.get("metric").asText());
        // two hours of buckets, the last 59 OFFLINE, against a 1 % budget of 1.2 buckets
        assertEquals(120, uptime.get("total").asLong());
        assertEquals(59, uptime.get("bad").asLong());
        assertEquals(0, new java.math.BigDecimal("1.2").compareTo(new java.math.BigDecimal(uptime.get("allowedBad").asText())));
        assertEquals("-4816.667", uptime.get("remainingPct").asText());
        JsonNode fast = body.at("/burnRates/0");
        assertEquals("PAGE_FAST", fast.get("rule").asText());
        assertEquals("98.333", fast.get("longBurnRate").asText());
        assertEquals("100.000", fast.get("shortBurnRate").asText());
        assertTrue(fast.get("firing").asBoolean());

        assertEquals(403, call("GET", "/sla/budgets/gpu-miner-7", null, "MINER", "gpu-miner-9").getStatusCode());
        assertEquals(403, call("GET", "/sla/budgets/gpu-miner-7", null, "TENANT", "acme").getStatusCode());
        assertEquals(401, call("GET", "/sla/budgets/gpu-miner-7", null, null, null).getStatusCode());
        assertEquals(404, admin("GET", "/sla/budgets/nobody", null).getStatusCode());
    }

    @Test
    void minerMetrics_ofAnotherMiner_returns403() throws IOException {
        APIGatewayProxyResponseEvent response = call("GET", "/sla/metrics/gpu-miner-7", null, "MINER", "gpu-miner-9");
        assertEquals(403, response.getStatusCode());
        assertEquals("FORBIDDEN", body(response).at("/error/code").asText());
    }

    @Test
    void adminRoutes_forTenantOrMiner_return403_andWithoutCaller_return401() {
        assertEquals(403, call("GET", "/sla/metrics", null, "TENANT", "acme").getStatusCode());
        assertEquals(403, call("POST", "/sla/metrics/collect", null, "MINER", "gpu-miner-7").getStatusCode());
        assertEquals(403, call("GET", "/sla/metrics/collect/" + UUID.randomUUID(), null, "MINER", "gpu-miner-7").getStatusCode());
        assertEquals(403, call("GET", "/sla/violations", null, "MINER", "gpu-miner-7").getStatusCode());
        assertEquals(403, call("GET", "/sla/capacity/forecast", null, "TENANT", "acme").getStatusCode());
        assertEquals(401, call("GET", "/sla/capacity/snapshots", null, null, null).getStatusCode());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/sla/metrics/gpu-miner-7|window=P99D",
            "/sla/metrics/gpu-miner-7|window=yesterday",
            "/sla/metrics/gpu-miner-7|window=PT1H,from=2026-11-22T10:00:00Z,to=2026-11-22T11:00:00Z",
            "/sla/metrics/gpu-miner-7|from=2026-11-22T10:00:00Z",
            "/sla/metrics/gpu-miner-7|from=2026-11-22T11:00:00Z,to=2026-11-22T10:00:00Z",
            "/sla/metrics/gpu-miner-7|from=2026-11-22 10:00,to=2026-11-22T11:00:00Z",
            "/sla/metrics/bad%20id|window=PT1H",
            "/sla/metrics/gpu-miner-7|from=2026-11-22T10:00:30Z,to=2026-11-22T11:00:00Z",
            "/sla/metrics/gpu-miner-7|from=2026-11-22T10:00:00Z,to=2026-11-22T11:00:00.5Z",
            "/sla/metrics|window=PT90S",
            "/sla/metrics|limit=0",
            "/sla/metrics|nextToken=not-a-token",
            "/sla/violations|metric=LATENCY",
            "/sla/violations|since=last-week",
            "/sla/violations|minerId=a/b",
            "/sla/capacity/snapshots|from=2026-01-01T00:00:00Z,to=2026-11-22T00:00:00Z",
            "/sla/capacity/forecast|hours=0",
            "/sla/capacity/forecast|hours=many"})
    void badQuery_returns400WithTheErrorBody(String path, String query) throws IOException {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split(",")) {
            parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        APIGatewayProxyResponseEvent response = admin("GET", path, parameters);
        assertEquals(400, response.getStatusCode(), path + "?" + query + ": " + response.getBody());
        assertEquals("VALIDATION", body(response).at("/error/code").asText());
        assertFalse(body(response).at("/error/message").asText().isEmpty());
    }

    @Test
    void collectionStatus_ofAnUnknownId_returns404_andOfAMalformedId_returns400() throws IOException {
        APIGatewayProxyResponseEvent unknown = admin("GET", "/sla/metrics/collect/" + UUID.randomUUID(), null);
        assertEquals(404, unknown.getStatusCode(), unknown.getBody());
        assertEquals("NOT_FOUND", body(unknown).at("/error/code").asText());
        for (String malformed : List.of("not-a-collection", "ABCDEF00-0000-0000-0000-000000000000", "2026-11-22T12:00:00Z")) {
            APIGatewayProxyResponseEvent response = admin("GET", "/sla/metrics/collect/" + malformed, null);
            assertEquals(400, response.getStatusCode(), malformed + ": " + response.getBody());
            assertEquals("VALIDATION", body(response).at("/error/code").asText());
        }
    }

    @Test
    void collect_whenTheRequestCannotBeAnnounced_returns503_andTheRequestIsMarkedFailed() throws IOException {
        bus.failNextEntries(1000);
        APIGatewayProxyResponseEvent response;
        try {
            response = admin("POST", "/sla/metrics/collect", null);
        } finally {
            bus.failNextEntries(0);
        }
        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals("UNAVAILABLE", body(response).at("/error/code").asText());
        List<Map<String, AttributeValue>> failed = dynamo.query(b -> b.tableName(slaTable)
                .keyConditionExpression("pk = :p").filterExpression("#s = :failed")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("COLLECTION_REQUEST"),
                        ":failed", AttributeValue.fromS("FAILED")))).items();
        assertEquals(1, failed.size());
        assertTrue(failed.get(0).get("reason").s().contains("could not be published"), failed.get(0).toString());
    }

    @Test
    void collect_isAudited_withTheCollectionIdAndWindow() throws IOException {
        APIGatewayProxyResponseEvent response = admin("POST", "/sla/metrics/collect", null);
        assertEquals(202, response.getStatusCode(), response.getBody());
        String id = body(response).get("collectionId").asText();
        AuditRecord record = audit.day(CLOCK.instant().atZone(ZoneOffset.UTC).toLocalDate()).stream()
                .map(StoredAuditRecord::record).filter(r -> r.change().subject().equals(id)).findFirst().orElseThrow();
        assertEquals(AuditTypes.SLA_COLLECTION_REQUESTED, record.change().type());
        assertEquals("ops", record.actor().principal());
        assertEquals(body(response).get("windowStart").asText(), record.change().after().get("windowStart").asText());
    }

    @Test
    void collect_whenTheAuditRecordCannotBeWritten_returns503_andRequestsNothing() throws IOException {
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> unaudited = ConformingApi.of(new SlaApiFunction(
                new SlaApi(collector, requests, collection.repository(dynamo), CLOCK, 168, (actor, change) -> {
                    throw new AuditUnavailableException("audit table unavailable", null);
                })));
        int before = collectionRequests();
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/sla/metrics/collect");
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAuthorizer(Map.of("role", "ADMIN", "principal", "ops"));
        event.setRequestContext(context);
        APIGatewayProxyResponseEvent response = unaudited.handleRequest(event, null);
        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals(before, collectionRequests());
    }

    private static int collectionRequests() {
        return dynamo.query(b -> b.tableName(slaTable).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("COLLECTION_REQUEST")))).count();
    }

    @Test
    void minerMetrics_ofUnknownMiner_returns404() {
        assertEquals(404, admin("GET", "/sla/metrics/nobody", null).getStatusCode());
    }

    @Test
    void allMetrics_withWindow_pagesThroughMiners_andGivesThePoolOnTheFirstPage() throws IOException {
        JsonNode first = body(admin("GET", "/sla/metrics", Map.of("window", "PT2H", "limit", "2")));
        assertEquals(2, first.get("miners").size());
        assertEquals(3, first.at("/pool/miners").asLong());
        String token = first.get("nextToken").asText();
        JsonNode second = body(admin("GET", "/sla/metrics", Map.of("window", "PT2H", "limit", "2", "nextToken", token)));
        assertEquals(1, second.get("miners").size());
        assertEquals("gpu-miner-9", second.at("/miners/0/minerId").asText());
        assertTrue(second.get("nextToken").isNull());
    }

    @Test
    void collect_thenLatestMetricsAndViolations_areListedWithPaging() throws IOException {
        APIGatewayProxyResponseEvent accepted = admin("POST", "/sla/metrics/collect", null);
        assertEquals(202, accepted.getStatusCode(), accepted.getBody());
        JsonNode requested = body(accepted);
        String id = requested.get("collectionId").asText();
        assertTrue(SlaCollectionRequests.isId(id), id);
        assertEquals("REQUESTED", requested.get("status").asText());
        assertEquals("2026-11-21T12:00:00Z", requested.get("windowStart").asText());
        assertEquals("2026-11-22T12:00:00Z", requested.get("windowEnd").asText());
        assertEquals("/sla/metrics/collect/" + id, accepted.getHeaders().get("Location"));
        assertEquals("/sla/metrics/collect/" + id, requested.get("location").asText());
        assertTrue(requested.get("result").isNull());
        assertEquals(1, announcements.received(SlaCollectionRequests.REQUESTED_EVENT).stream()
                .filter(e -> e.detail().get("collectionId").asText().equals(id)).count());
        assertEquals("REQUESTED", body(admin("GET", "/sla/metrics/collect/" + id, null)).get("status").asText());

        requests.run(id, collector::collect); // what the collector does on the event
        APIGatewayProxyResponseEvent status = admin("GET", "/sla/metrics/collect/" + id, null);
        assertEquals(200, status.getStatusCode(), status.getBody());
        assertEquals("SUCCEEDED", body(status).get("status").asText());
        assertEquals(3, body(status).at("/result/miners").asLong());
        assertEquals("2026-11-22T12:00:00Z", body(status).at("/result/collectedAt").asText());

        JsonNode first = body(admin("GET", "/sla/metrics", Map.of("limit", "2")));
        assertEquals("2026-11-22T12:00:00Z", first.get("collectedAt").asText());
        assertEquals(2, first.get("miners").size());
        JsonNode second = body(admin("GET", "/sla/metrics", Map.of("limit", "2", "nextToken", first.get("nextToken").asText())));
        assertEquals(1, second.get("miners").size());

        JsonNode violations = body(admin("GET", "/sla/violations", Map.of("minerId", "gpu-miner-9", "metric", "UPTIME")));
        assertEquals(1, violations.get("violations").size());
        assertEquals("UPTIME", violations.at("/violations/0/metric").asText());
        JsonNode snapshots = body(admin("GET", "/sla/capacity/snapshots", null));
        assertEquals(1, snapshots.get("snapshots").size());
        assertEquals(8, snapshots.at("/snapshots/0/gpusUp").asLong());
    }

    private static String crafted(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/sla/violations|{\"sk\":\"zzzz\"}",
            "/sla/capacity/snapshots|{\"sk\":\"zzzz\"}",
            "/sla/metrics|{\"collection\":\"2026-11-22T12:00:00Z\",\"sk\":\"zzzz\"}",
            "/sla/metrics|{\"miner\":\"gpu-miner-7\",\"from\":\"2026-11-22T12:00:00Z\",\"to\":\"2026-11-22T10:00:00Z\"}"})
    void craftedToken_isRefusedWith400(String path, String position) throws IOException {
        APIGatewayProxyResponseEvent response = admin("GET", path, Map.of("nextToken", crafted(position)));
        assertEquals(400, response.getStatusCode(), path + ": " + response.getBody());
        assertEquals("VALIDATION", body(response).at("/error/code").asText());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/sla/violations|sk=0000",
            "/sla/capacity/snapshots|sk=zzzz",
            "/sla/capacity/snapshots|sk=2026-11-22T12:00:00Z",
            "/sla/metrics|miner=gpu-miner-7,from=2026-11-22T12:00:00Z,to=2026-11-22T10:00:00Z",
            "/sla/metrics|miner=gpu-miner-7,from=2026-01-01T00:00:00Z,to=2026-11-22T10:00:00Z"})
    void tokenOfThisQuery_withAPositionOutsideIt_isRefusedWith400(String path, String position) throws IOException {
        Map<String, String> at = new HashMap<>();
        for (String pair : position.split(",")) {
            at.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Map<String, String> query = Map.of("since", "2026-11-22T00:00:00Z", "from", "2026-11-22T10:00:00Z",
                "to", "2026-11-22T11:00:00Z");
        Map<String, String> range = path.equals("/sla/violations") ? Map.of("since", query.get("since"))
                : Map.of("from", query.get("from"), "to", query.get("to"));
        String token = PageToken.issue(new PageScope("GET " + path, new Caller(Caller.Role.ADMIN, "ops"), Map.of(), range), at);
        Map<String, String> withToken = new HashMap<>(range);
        withToken.put("nextToken", token);
        APIGatewayProxyResponseEvent response = admin("GET", path, withToken);
        assertEquals(400, response.getStatusCode(), path + ": " + response.getBody());
        assertEquals("VALIDATION", body(response).at("/error/code").asText());
    }

    @Test
    void tokenOfOneRange_reusedWithAnother_orByAnotherCallerOrRoute_isRefusedWith400() throws IOException {
        JsonNode first = body(admin("GET", "/sla/metrics", Map.of("window", "PT2H", "limit", "1")));
        String token = first.get("nextToken").asText();
        for (APIGatewayProxyResponseEvent response : List.of(
                admin("GET", "/sla/metrics", Map.of("window", "PT3H", "limit", "1", "nextToken", token)),
                admin("GET", "/sla/metrics", Map.of("limit", "1", "nextToken", token)),
                call("GET", "/sla/metrics", Map.of("window", "PT2H", "limit", "1", "nextToken", token), "ADMIN", "other-admin"),
                admin("GET", "/sla/capacity/snapshots", Map.of("window", "PT2H", "limit", "1", "nextToken", token)),
                admin("GET", "/sla/violations", Map.of("nextToken", token)))) {
            assertEquals(400, response.getStatusCode(), response.getBody());
            assertEquals("VALIDATION", body(response).at("/error/code").asText());
        }
        assertEquals(200, admin("GET", "/sla/metrics", Map.of("window", "PT2H", "limit", "5", "nextToken", token))
                .getStatusCode(), "the page size may change between pages");
    }
}
