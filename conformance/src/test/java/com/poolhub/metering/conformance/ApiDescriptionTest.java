package com.poolhub.metering.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.apispec.OpenApiDocument;
import com.poolhub.metering.apispec.ResponseValidator;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.localrun.HostedFunction;
import com.poolhub.metering.localrun.LocalSystem;
import com.poolhub.metering.localrun.Simulation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.yaml} against what runs: the template's routes, the openapi paths and the functions'
 * routers are the same set, and every answer of a simulated pool's API — each route with tenant,
 * miner and admin keys, good and bad input — validates against the description.
 */
class ApiDescriptionTest {
    private static final OpenApiDocument DESCRIPTION = OpenApiDocument.load();
    private static LocalSystem system;
    private static Simulation.Result simulated;

    @BeforeAll
    static void start() {
        system = LocalSystem.start(TemplateConformanceTest.ROOT.resolve("template.yaml"));
        simulated = new Simulation(system).run(new Simulation.Settings(4, 2, 3, 5L), Instant.now());
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static List<String> templateRoutes() {
        return system.api().routes().stream().map(route -> route.method() + " " + route.path()).toList();
    }

    private static List<String> routerRoutes() {
        List<String> routes = new ArrayList<>();
        for (String id : system.runningFunctions()) {
            HostedFunction function = system.function(id).orElseThrow();
            if (function.handler() instanceof RoutedFunction routed) {
                routes.addAll(routed.routes());
            }
        }
        return routes;
    }

    @Test
    void templateOpenapiAndRouters_declareTheSameRoutes() {
        RouteAgreement agreement = new RouteAgreement().source("template.yaml", templateRoutes())
                .source("openapi.yaml", DESCRIPTION.routes()).source("the routers", routerRoutes());
        assertEquals(List.of(), agreement.problems());
        assertTrue(DESCRIPTION.routes().size() >= 17, DESCRIPTION.routes().toString());
    }

    @Test
    void aPathMissingFromTheDescription_orAnExtraRouterRoute_isNamed() throws IOException {
        String text;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int start = text.indexOf("  /usage/{tenant}/trend:\n");
        int end = text.indexOf("  /usage/{tenant}/anomalies:\n");
        assertTrue(start > 0 && end > start, "the mutation applies");
        OpenApiDocument mutated = OpenApiDocument.parse(text.substring(0, start) + text.substring(end));
        List<String> routers = new ArrayList<>(routerRoutes());
        routers.add("DELETE /quota/limits/{tenant}");

        List<String> problems = new RouteAgreement().source("template.yaml", templateRoutes())
                .source("openapi.yaml", mutated.routes()).source("the routers", routers).problems();

        assertEquals(List.of("DELETE /quota/limits/{} is in the routers but not in template.yaml or openapi.yaml",
                "GET /usage/{}/trend is in template.yaml and the routers but not in openapi.yaml"), problems);
    }

    @Test
    void everyAnswerOfASimulatedPool_validates() throws IOException {
        ResponseValidator validator = ConformingApi.validator();
        List<String> problems = new ArrayList<>();
        Set<String> answered = new TreeSet<>();
        simulated.answers().forEach((route, answer) -> {
            String[] parts = route.split(" ", 2);
            String method = parts[0].contains("#") ? parts[0].substring(0, parts[0].indexOf('#')) : parts[0];
            problems.addAll(validator.problems(method, parts[1], answer.status(), Map.of(), answer.body().toString()));
        });
        for (Call call : tour()) {
            APIGatewayProxyResponseEvent response = system.api().handle(call.method, call.path, call.query,
                    call.key == null ? Map.of() : Map.of("Authorization", "Bearer " + call.key), call.body);
            problems.addAll(validator.problems(call.method, call.path, response.getStatusCode(), response.getHeaders(), response.getBody()));
            if (response.getStatusCode() < 300) {
                DESCRIPTION.find(call.method, call.path).ifPresent(operation -> answered.add(operation.route()));
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(DESCRIPTION.routes(), answered, "every operation answered with success at least once");
    }

    private record Call(String method, String path, Map<String, String> query, String key, String body) {
    }

    /** Each route with the keys that may and may not call it, and good and bad input. */
    private static List<Call> tour() throws IOException {
        String admin = system.issueKey("ADMIN", "tour");
        String tenant = simulated.tenants().get(0);
        String other = simulated.tenants().get(1);
        String tenantKey = system.issueKey("TENANT", tenant);
        String miner = simulated.miners().get(0).id();
        String minerKey = system.issueKey("MINER", miner);
        String ask = "{\"resource\": \"GPU\", \"unit\": \"compute_seconds\", \"amount\": \"10\"}";
        String from = simulated.from().toString();
        String to = simulated.to().toString();
        List<Call> calls = new ArrayList<>();
        for (String key : new String[] {admin, tenantKey}) {
            calls.add(new Call("GET", "/usage/" + tenant, query("granularity", "HOUR", "from", from, "to", to, "limit", "2"), key, null));
            calls.add(new Call("GET", "/usage/" + tenant, query("granularity", "MINUTE", "from", from, "to", to), key, null));
            calls.add(new Call("GET", "/usage/" + tenant, query("granularity", "MONTH"), key, null));
            calls.add(new Call("GET", "/usage/" + tenant + "/trend", query("days", "30"), key, null));
            calls.add(new Call("GET", "/usage/" + tenant + "/anomalies", query(), key, null));
            calls.add(new Call("GET", "/quota/" + tenant, query(), key, null));
            calls.add(new Call("POST", "/quota/check", query(), key, ask.replace("{", "{\"tenant\": \"" + tenant + "\", ")));
            calls.add(new Call("POST", "/quota/consume", query(), key, ask.replace("{", "{\"tenant\": \"" + tenant + "\", ")));
            calls.add(new Call("GET", "/invoices/" + tenant + "/" + to.substring(0, 7), query(), key, null));
            calls.add(new Call("GET", "/sla/billing/usage", query("tenant", tenant, "limit", "1"), key, null));
        }
        calls.add(new Call("PUT", "/quota/limits/" + tenant, query(), admin, "{\"resource\": \"GPU\", \"unit\": \"compute_seconds\","
                + " \"period\": \"HOUR\", \"limit\": \"5\", \"hard\": true, \"rate\": {\"perMinute\": 60, \"burst\": 5}}"));
        calls.add(new Call("POST", "/quota/consume", query(), tenantKey, ask));
        calls.add(new Call("GET", "/quota/" + tenant, query(), tenantKey, null));
        calls.add(new Call("POST", "/quota/check", query(), tenantKey, ask));
        calls.add(new Call("PUT", "/quota/limits/" + tenant, query(), admin, "{\"resource\": \"GPU\", \"unit\": \"gb\", \"period\": \"HOUR\"}"));
        String override = "{\"effectiveFrom\": \"" + YearMonth.from(simulated.to().atZone(ZoneOffset.UTC)).plusMonths(1)
                + "-01T00:00:00Z\", \"rates\": [{\"resource\": \"GPU\", \"unit\": \"compute_seconds\", \"unitRate\": \"0.00072\"}]}";
        calls.add(new Call("PUT", "/pricing/tenants/" + tenant, query(), admin, override));
        calls.add(new Call("PUT", "/pricing/tenants/" + tenant, query(), tenantKey, override));
        calls.add(new Call("PUT", "/pricing/tenants/" + tenant, query(), admin, override.replaceFirst("\\d{4}-\\d{2}-01T", "2019-01-01T")));
        calls.add(new Call("PUT", "/pricing/tenants/" + tenant, query(), admin, "{\"effectiveFrom\": \"2030-01-01T00:30:00Z\", \"rates\": []}"));
        calls.add(new Call("GET", "/pricing/tenants/" + tenant, query(), tenantKey, null));
        calls.add(new Call("GET", "/pricing/tenants/" + other, query(), tenantKey, null));
        calls.add(new Call("GET", "/usage/" + other, query(), tenantKey, null));
        calls.add(new Call("GET", "/usage/" + tenant, query("from", "2019-01-01T00:00:00Z", "to", "2019-02-01T00:00:00Z"), tenantKey, null));
        calls.add(new Call("GET", "/usage/" + tenant, query("nextToken", "e30"), tenantKey, null));
        calls.add(new Call("GET", "/invoices/" + tenant + "/2026-13", query(), tenantKey, null));
        calls.add(new Call("GET", "/invoices/" + tenant + "/2019-01", query(), tenantKey, null));
        calls.add(new Call("GET", "/sla/metrics/" + miner, query(), minerKey, null));
        calls.add(new Call("GET", "/sla/metrics/" + miner, query("window", "PT5M"), admin, null));
        calls.add(new Call("GET", "/sla/metrics/" + miner, query(), tenantKey, null));
        calls.add(new Call("GET", "/sla/metrics/unknown-miner", query(), admin, null));
        calls.add(new Call("GET", "/sla/budgets/" + miner, query(), minerKey, null));
        calls.add(new Call("GET", "/sla/budgets/" + miner, query(), tenantKey, null));
        calls.add(new Call("GET", "/sla/budgets/unknown-miner", query(), admin, null));
        calls.add(new Call("GET", "/sla/metrics", query("limit", "2"), admin, null));
        calls.add(new Call("GET", "/sla/metrics", query("window", "PT24H", "limit", "2"), admin, null));
        calls.add(new Call("GET", "/sla/metrics", query("window", "P99D"), admin, null));
        calls.add(new Call("POST", "/sla/metrics/collect", query(), admin, null));
        calls.add(new Call("POST", "/sla/metrics/collect", query(), minerKey, null));
        String location = system.api().handle("POST", "/sla/metrics/collect", Map.of(), Map.of("Authorization", "Bearer " + admin), null)
                .getHeaders().get("Location");
        calls.add(new Call("GET", location, query(), admin, null));
        calls.add(new Call("GET", "/sla/metrics/collect/00000000-0000-4000-8000-000000000000", query(), admin, null));
        calls.add(new Call("GET", "/sla/metrics/collect/not-an-id", query(), admin, null));
        calls.add(new Call("GET", "/sla/violations", query("since", from, "limit", "1"), admin, null));
        calls.add(new Call("GET", "/sla/violations", query("metric", "LATENCY"), admin, null));
        calls.add(new Call("GET", "/sla/capacity/snapshots", query("from", from, "to", to, "limit", "2"), admin, null));
        calls.add(new Call("GET", "/sla/capacity/forecast", query("hours", "24"), admin, null));
        calls.add(new Call("GET", "/sla/capacity/forecast", query("hours", "0"), admin, null));
        calls.add(new Call("GET", "/sla/capacity/recommendations", query(), admin, null));
        calls.add(new Call("POST", "/sla/billing/sync", query(), admin, null));
        calls.add(new Call("POST", "/sla/billing/sync", query(), tenantKey, null));
        calls.add(new Call("GET", "/sla/billing/runs", query("limit", "2"), admin, null));
        calls.add(new Call("GET", "/sla/billing/runs", query("from", to, "to", from), admin, null));
        calls.add(new Call("GET", "/sla/billing/runs", query(), tenantKey, null));
        calls.add(new Call("GET", "/usage", query("from", from, "to", to, "granularity", "HOUR", "top", "3"), admin, null));
        calls.add(new Call("GET", "/usage", query("top", "0"), admin, null));
        calls.add(new Call("GET", "/usage", query(), tenantKey, null));
        String day = to.substring(0, 10);
        calls.add(new Call("GET", "/rejects/usage-events", query("day", day, "limit", "1"), admin, null));
        calls.add(new Call("GET", "/rejects/miner-telemetry", query("day", day), admin, null));
        calls.add(new Call("GET", "/rejects/usage-events", query("day", "yesterday"), admin, null));
        calls.add(new Call("GET", "/rejects/usage-events", query("day", day), tenantKey, null));
        calls.add(new Call("POST", "/rejects/usage-events/replay", query(), admin, "{\"day\": \"" + day + "\", \"limit\": 10}"));
        calls.add(new Call("POST", "/rejects/usage-events/replay", query(), admin, "{\"day\": \"" + day + "\", \"ids\": [\"nope\"]}"));
        calls.add(new Call("POST", "/rejects/usage-events/replay", query(), minerKey, "{\"day\": \"" + day + "\"}"));
        calls.add(new Call("GET", "/audit", query("from", from, "limit", "2"), admin, null));
        calls.add(new Call("GET", "/audit", query("type", "QUOTA_LIMITS_SET", "principal", "tour"), admin, null));
        calls.add(new Call("GET", "/audit", query("type", "not a type"), admin, null));
        calls.add(new Call("GET", "/audit", query(), tenantKey, null));
        calls.add(new Call("GET", "/audit/verify", query("day", day), admin, null));
        calls.add(new Call("GET", "/audit/verify", query("day", "yesterday"), admin, null));
        calls.add(new Call("GET", "/audit/verify", query("day", day), minerKey, null));
        String producerKeys = "/producers/tour-fleet/keys";
        String firstKey = Json.parse(system.api().handle("POST", producerKeys, Map.of(),
                Map.of("Authorization", "Bearer " + admin), null).getBody()).get("keyId").textValue();
        calls.add(new Call("GET", producerKeys, query(), admin, null));
        calls.add(new Call("POST", producerKeys, query(), admin, null));
        calls.add(new Call("POST", producerKeys, query(), admin, null));
        calls.add(new Call("DELETE", producerKeys + "/" + firstKey, query(), admin, null));
        calls.add(new Call("DELETE", producerKeys + "/" + firstKey, query(), admin, null));
        calls.add(new Call("DELETE", producerKeys + "/other.0123456789abcdef", query(), admin, null));
        calls.add(new Call("GET", producerKeys, query(), tenantKey, null));
        calls.add(new Call("POST", "/producers/Tour_Fleet/keys", query(), admin, null));
        calls.add(new Call("DELETE", "/quota/" + tenant, query(), admin, null));
        calls.add(new Call("GET", "/usage/" + tenant, query(), null, null));
        calls.add(new Call("GET", "/console/", query(), null, null));
        calls.add(new Call("GET", "/console", query(), null, null));
        String page = system.api().handle("GET", "/console/", Map.of(), Map.of(), null).getBody();
        java.util.regex.Matcher script = java.util.regex.Pattern.compile("src=\"([^\"]+\\.js)\"").matcher(page);
        assertTrue(script.find(), page);
        calls.add(new Call("GET", "/console/" + script.group(1), query(), null, null));
        calls.add(new Call("GET", "/console/no-such-file.js", query(), null, null));
        calls.add(new Call("GET", "/session", query(), tenantKey, null));
        calls.add(new Call("GET", "/session", query(), minerKey, null));
        calls.add(new Call("GET", "/session", query(), null, null));
        return calls;
    }

    private static Map<String, String> query(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return query;
    }
}
