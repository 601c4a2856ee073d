package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.api.PageScope;
import com.poolhub.metering.api.PageToken;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.billing.function.BillingApiFunction;
import com.poolhub.metering.billing.function.BillingRoutes;
import com.poolhub.metering.billing.function.BillingSyncFunction;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.metrics.EmfMetrics;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@code GET /sla/billing/runs}: every run of the sync function (schedule and {@code POST /sla/billing/sync})
 * is kept with a TTL and listed newest first with its report, paged across months; admins only.
 */
class BillingRunsTest {
    private static final String EVENTS = "../../events/";

    private final BillingFixture rig = new BillingFixture(Instant.parse("2026-11-22T13:00:00Z"));
    private final BillingSyncFunction syncFunction = new BillingSyncFunction(rig.sync(), rig.issuer(rig.invoicing()), rig.runs,
            () -> new EmfMetrics("PoolHub", rig.clock, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
            rig.audit, rig.clock);
    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api = ConformingApi.of(
            new BillingApiFunction(new ApiRouter(), new BillingRoutes(rig.store, rig.invoicing(), rig.runs, rig.clock)));

    @AfterEach
    void close() {
        rig.close();
    }

    private JsonNode invokeSync(String file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        syncFunction.handleRequest(new ByteArrayInputStream(Files.readAllBytes(Path.of(EVENTS + file))), out, null);
        JsonNode answer = Json.parse(out.toString(StandardCharsets.UTF_8));
        return answer.has("statusCode") ? Json.parse(answer.get("body").asText()) : answer.get("sync");
    }

    private static APIGatewayProxyRequestEvent runs(Map<String, String> query, String role) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-sync-runs.json");
        event.setQueryStringParameters(query);
        event.getRequestContext().setAuthorizer(new HashMap<>(Map.of("role", role, "principal", role.equals("ADMIN") ? "ops" : "acme")));
        return event;
    }

    private JsonNode ok(APIGatewayProxyRequestEvent request) throws Exception {
        APIGatewayProxyResponseEvent response = api.handleRequest(request, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return Json.parse(response.getBody());
    }

    @Test
    void scheduledAndApiRuns_showUpNewestFirst_withTheirReports_andATtl() throws Exception {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-11-22T10:00:00Z"), "3600");
        JsonNode scheduled = invokeSync("billing-sync-schedule.json");
        rig.clock.advance(Duration.ofMinutes(7));
        JsonNode posted = invokeSync("billing-api-post-sync.json");

        JsonNode body = ok(runs(Map.of("from", "2026-11-22T00:00:00Z", "to", "2026-11-23T00:00:00Z"), "ADMIN"));

        JsonNode list = body.get("runs");
        assertEquals(2, list.size(), body.toString());
        assertEquals("API", list.get(0).get("trigger").asText());
        assertEquals("SCHEDULE", list.get(1).get("trigger").asText());
        assertEquals("2026-11-22T13:07:00Z", list.get(0).get("ranAt").asText());
        assertEquals("2026-11-22T13:00:00Z", list.get(1).get("ranAt").asText());
        for (String field : List.of("ranAt", "hoursScanned", "recordsCreated", "adjustments", "synced", "retried", "failed",
                "deferred", "watermark", "lagSeconds")) {
            assertEquals(posted.get(field), list.get(0).get(field), field);
            assertEquals(scheduled.get(field), list.get(1).get(field), field);
        }
        assertEquals(1, list.get(1).get("synced").asInt());
        assertEquals(0, list.get(0).get("synced").asInt());
        assertEquals("2026-11-22T12:00:00Z", list.get(0).get("watermark").asText());
        assertEquals(4020, list.get(0).get("lagSeconds").asInt());
        assertTrue(body.get("nextToken").isNull());

        List<Long> ttls = new ArrayList<>();
        rig.dynamo.scanPaginator(ScanRequest.builder().tableName(rig.tables.get(Table.BILLING)).build()).items().forEach(item -> {
            if (item.get("pk").s().startsWith("SYNCRUN#")) {
                ttls.add(Long.parseLong(item.get("ttl").n()));
            }
        });
        assertEquals(List.of(Instant.parse("2026-11-22T13:00:00Z").plus(Duration.ofDays(90)).getEpochSecond(),
                Instant.parse("2026-11-22T13:07:00Z").plus(Duration.ofDays(90)).getEpochSecond()), ttls.stream().sorted().toList());
    }

    @Test
    void runs_pageAcrossMonths_newestFirst_andTheRangeIsHalfOpen() throws Exception {
        List<Instant> times = List.of(Instant.parse("2026-10-30T23:00:00Z"), Instant.parse("2026-10-31T23:59:59.5Z"),
                Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-11-02T08:00:00Z"), Instant.parse("2026-11-03T00:00:00Z"));
        for (Instant at : times) {
            rig.clock.set(at);
            invokeSync("billing-api-post-sync.json");
        }
        List<String> paged = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("from", "2026-10-31T00:00:00Z", "to", "2026-11-03T00:00:00Z", "limit", "1"));
        int pages = 0;
        while (true) {
            JsonNode page = ok(runs(query, "ADMIN"));
            page.get("runs").forEach(run -> paged.add(run.get("ranAt").asText()));
            pages++;
            if (page.get("nextToken").isNull()) {
                break;
            }
            query.put("nextToken", page.get("nextToken").asText());
        }
        // the API shows times to the second, as every route does; the runs are ordered by their exact time
        List<String> expected = List.of("2026-11-02T08:00:00Z", "2026-11-01T00:00:00Z", "2026-10-31T23:59:59Z");
        assertEquals(expected.stream().map(Instant::parse).toList(), paged.stream().map(Instant::parse).toList());
        assertTrue(pages >= 3 && pages <= 4, "pages: " + pages);
        JsonNode whole = ok(runs(Map.of("from", "2026-10-31T00:00:00Z", "to", "2026-11-03T00:00:00Z"), "ADMIN"));
        assertEquals(3, whole.get("runs").size());
        assertEquals(3, ok(EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-sync-runs.json")).get("runs").size(),
                "the sample event's November range holds the three November runs");
    }

    @Test
    void boundTokenWithAPositionOutsideTheQuery_is400() throws Exception {
        Map<String, String> query = Map.of("from", "2026-10-15T00:00:00Z", "to", "2026-11-15T00:00:00Z");
        PageScope scope = new PageScope("GET /sla/billing/runs", new Caller(Caller.Role.ADMIN, "ops"), Map.of(), query);
        for (Map<String, String> position : List.of(Map.of("pk", "SYNCRUN#2026-10x", "sk", "2026-10-20T00:00:00.000000000Z#00"),
                Map.of("pk", "SYNCRUN#2026-09", "sk", "2026-10-20T00:00:00.000000000Z#00"),
                Map.of("pk", "SYNCRUN#2026-11", "sk", "2026-11-20T00:00:00.000000000Z#00"),
                Map.of("pk", "SYNCRUN#2026-11"))) {
            Map<String, String> withToken = new HashMap<>(query);
            withToken.put("nextToken", PageToken.issue(scope, position));
            APIGatewayProxyResponseEvent response = api.handleRequest(runs(withToken, "ADMIN"), null);
            assertEquals(400, response.getStatusCode(), position + ": " + response.getBody());
        }
    }

    @Test
    void tenantAndMinerKeys_are403() throws Exception {
        for (String role : List.of("TENANT", "MINER")) {
            APIGatewayProxyResponseEvent response = api.handleRequest(runs(Map.of(), role), null);
            assertEquals(403, response.getStatusCode(), role);
            assertEquals("FORBIDDEN", Json.parse(response.getBody()).get("error").get("code").asText());
        }
    }

    @Test
    void badInput_is400WithTheErrorBody() throws Exception {
        invokeSync("billing-api-post-sync.json");
        String crafted = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"pk\":\"SYNCRUN#2026-11\"}".getBytes(StandardCharsets.UTF_8));
        Map<String, String> range = Map.of("from", "2026-11-01T00:00:00Z", "to", "2026-11-23T00:00:00Z", "limit", "1");
        for (Map<String, String> query : List.of(Map.of("from", "yesterday"), Map.of("to", "2026-13-01T00:00:00Z"),
                Map.of("from", "2026-11-10T00:00:00Z", "to", "2026-11-01T00:00:00Z"),
                Map.of("from", "2025-01-01T00:00:00Z", "to", "2026-11-01T00:00:00Z"), Map.of("limit", "0"),
                Map.of("limit", "1001"), Map.of("nextToken", crafted))) {
            APIGatewayProxyResponseEvent response = api.handleRequest(runs(query, "ADMIN"), null);
            assertEquals(400, response.getStatusCode(), query + ": " + response.getBody());
            assertEquals("VALIDATION", Json.parse(response.getBody()).get("error").get("code").asText());
        }
        assertEquals(200, api.handleRequest(runs(range, "ADMIN"), null).getStatusCode());
    }
}
