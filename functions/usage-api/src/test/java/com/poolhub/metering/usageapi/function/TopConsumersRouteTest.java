package com.poolhub.metering.usageapi.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.PriceBookJson;
import com.poolhub.metering.pricing.UsagePricer;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usageapi.UsageApi;
import com.poolhub.metering.usageapi.UsageCosts;
import com.poolhub.metering.usageapi.UsageTenants;
import com.poolhub.metering.config.UsageRetention;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code GET /usage} (admins) over usage ingested through the real pipeline and rolled up: tenants
 * ranked by cost, ties by tenant id, each total equal to what {@code GET /usage/{tenant}} answers for
 * the same range and granularity; tenant and miner keys refused; bad input a 400.
 */
class TopConsumersRouteTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final String EVENTS = "../../events/";
    private static final Instant NOV_5 = Instant.parse("2026-11-05T00:00:00Z");
    private static RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;

    @BeforeAll
    static void ingestAndRollUp() {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbClient dynamo = LocalDynamo.client();
        var pipeline = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 4).pipeline(dynamo, CLOCK);
        List<String> events = new ArrayList<>();
        int n = 0;
        for (int day = 0; day < 12; day++) {
            Instant at = NOV_5.plus(Duration.ofDays(day)).plusSeconds(7 * 3600L + 123);
            // four decimals of seconds, so every hour's exact cost has digits past the sixth decimal
            events.add(UsageEventJson.gpuSeconds("g" + n++, "gamma", "5000.1237", at));
            events.add(UsageEventJson.event("//nodes/llm-1", "t" + n++, "gamma", "INFERENCE", "tokens", "333333", at).toString());
            // alpha and beta cost exactly the same: the tie goes to the smaller tenant id
            events.add(UsageEventJson.gpuSeconds("a" + n++, "beta", "1234.5671", at.plusSeconds(60)));
            events.add(UsageEventJson.gpuSeconds("b" + n++, "alpha", "1234.5671", at.plusSeconds(3600)));
            events.add(UsageEventJson.gpuSeconds("c" + n++, "omega", "17.0009", at.plusSeconds(1800)));
        }
        // delta has usage in November, but only before the ranges asked below
        events.add(UsageEventJson.gpuSeconds("d" + n++, "delta", "99", Instant.parse("2026-11-02T04:00:00Z")));
        List<StreamRecord> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            records.add(new StreamRecord("shardId-000000000000", Integer.toString(i), "p", CLOCK.instant(),
                    ByteBuffer.wrap(events.get(i).getBytes(StandardCharsets.UTF_8))));
        }
        assertEquals(0, pipeline.process(records).rejected());
        new DynamoUsageRollup(dynamo, tables.get(Table.USAGE), UsageMetricsSink.none(),
                Executors.newFixedThreadPool(2, Workers.daemon("top-test-rollup")), 100_000).runAll();
        UsageCosts costs = new UsageCosts(new DynamoUsageReader(dynamo, tables.get(Table.USAGE)), new UsagePricer(PriceBookJson.shipped()));
        function = ConformingApi.of(new UsageApiFunction(new UsageApi(costs, new UsageTenants(dynamo, tables.get(Table.USAGE)),
                AnomalyDetector.defaults(), UsageRetention.DEFAULTS, CLOCK)));
    }

    private static APIGatewayProxyRequestEvent get(String path, Map<String, String> query, String role, String principal) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "usage-api-get-top-consumers.json");
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

    private static JsonNode top(Map<String, String> query) {
        APIGatewayProxyResponseEvent response = function.handleRequest(get("/usage", query, "ADMIN", "ops"), null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return body(response);
    }

    @Test
    void sampleEvent_ranksByCostDescending_tiesByTenantId() {
        JsonNode body = body(function.handleRequest(EventLoader.loadApiGatewayRestEvent(EVENTS + "usage-api-get-top-consumers.json"), null));

        List<String> order = new ArrayList<>();
        body.get("consumers").forEach(c -> order.add(c.get("rank").asInt() + ":" + c.get("tenant").asText()));
        assertEquals(List.of("1:gamma", "2:alpha", "3:beta", "4:omega", "5:delta"), order, body.toString());
        JsonNode consumers = body.get("consumers");
        assertEquals(consumers.get(1).get("costUsd").asText(), consumers.get(2).get("costUsd").asText());
        BigDecimal previous = null;
        for (JsonNode consumer : consumers) {
            BigDecimal cost = new BigDecimal(consumer.get("costUsd").asText());
            assertEquals(6, cost.scale());
            assertTrue(previous == null || previous.compareTo(cost) >= 0, body.toString());
            previous = cost;
            BigDecimal parts = BigDecimal.ZERO;
            for (JsonNode part : consumer.get("byResource")) {
                parts = parts.add(new BigDecimal(part.asText()));
            }
            assertEquals(cost, parts);
        }
        assertEquals(2, consumers.get(0).get("byResource").size());
        assertEquals(5, body.get("top").asInt());
    }

    @Test
    void topN_cutsTheRanking_andTenantsWithoutLinesInTheRangeAreLeftOut() {
        JsonNode one = top(Map.of("from", "2026-11-06T13:30:00Z", "to", "2026-11-20T08:00:00Z", "granularity", "HOUR", "top", "1"));
        assertEquals(1, one.get("consumers").size());
        assertEquals("gamma", one.get("consumers").get(0).get("tenant").asText());
        assertEquals(5, one.get("tenantsConsidered").asInt(), "every tenant with November usage is priced");
        assertEquals(4, one.get("tenantsWithUsage").asInt(), "delta has no hour in the range");

        JsonNode all = top(Map.of("from", "2026-11-06T13:30:00Z", "to", "2026-11-20T08:00:00Z", "granularity", "HOUR"));
        assertEquals(10, all.get("top").asInt());
        assertEquals(4, all.get("consumers").size());
    }

    @Test
    void everyTotal_equalsTheTenantsOwnUsageRoute_forTheSameRangeAndGranularity() {
        int compared = 0;
        for (String granularity : List.of("HOUR", "DAY", "MONTH")) {
            Map<String, String> range = Map.of("from", "2026-11-06T13:30:00Z", "to", "2026-11-20T08:00:00Z",
                    "granularity", granularity);
            JsonNode ranking = top(range);
            assertTrue(ranking.get("consumers").size() >= 4, ranking.toString());
            for (JsonNode consumer : ranking.get("consumers")) {
                String tenant = consumer.get("tenant").asText();
                Map<String, String> own = new HashMap<>(range);
                own.put("limit", "1000");
                APIGatewayProxyResponseEvent response = function.handleRequest(get("/usage/" + tenant, own, "TENANT", tenant), null);
                assertEquals(200, response.getStatusCode(), response.getBody());
                JsonNode totals = body(response).get("totals");
                assertEquals("RANGE", totals.get("scope").asText());
                assertEquals(totals.get("usd").asText(), consumer.get("costUsd").asText(), granularity + " " + tenant);
                assertEquals(totals.get("tokens").asText(), consumer.get("costTokens").asText(), granularity + " " + tenant);
                assertEquals(body(response).get("lines").size(), consumer.get("lines").asInt());
                assertEquals(body(response).get("from").asText(), ranking.get("from").asText());
                compared++;
            }
        }
        assertTrue(compared >= 12);
    }

    @Test
    void tenantAndMinerKeys_are403_noKeyIs401() {
        for (String role : List.of("TENANT", "MINER")) {
            APIGatewayProxyResponseEvent response = function.handleRequest(get("/usage", Map.of(), role, "gamma"), null);
            assertEquals(403, response.getStatusCode(), role);
            assertEquals("FORBIDDEN", body(response).get("error").get("code").asText());
        }
        assertEquals(401, function.handleRequest(get("/usage", Map.of(), null, null), null).getStatusCode());
    }

    @Test
    void badInput_is400WithTheErrorBody() {
        for (Map<String, String> query : List.of(Map.of("top", "0"), Map.of("top", "101"), Map.of("top", "ten"),
                Map.of("granularity", "WEEK"), Map.of("from", "yesterday"),
                Map.of("from", "2026-11-10T00:00:00Z", "to", "2026-11-01T00:00:00Z"),
                Map.of("from", "2020-01-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"),
                Map.of("from", "2019-06-01T00:00:00Z", "to", "2019-07-01T00:00:00Z"))) {
            APIGatewayProxyResponseEvent response = function.handleRequest(get("/usage", query, "ADMIN", "ops"), null);
            assertEquals(400, response.getStatusCode(), query + ": " + response.getBody());
            assertEquals("VALIDATION", body(response).get("error").get("code").asText());
        }
    }
}
