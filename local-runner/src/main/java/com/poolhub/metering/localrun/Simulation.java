package com.poolhub.metering.localrun;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.json.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives the local system like production: the pool's usage and telemetry events go onto the
 * streams and through the real ingest functions, the schedules run the collectors, aggregators and
 * billing, and every figure is then read back through the REST API with API keys, so each capability
 * that is built takes part and one that is not is reported as absent.
 */
public final class Simulation {
    /** What to simulate. */
    public record Settings(int miners, int tenants, int hours, long seed) {
        public static Settings defaults() {
            return new Settings(12, 4, 24, 7L);
        }
    }

    /** A route answer kept for the report. */
    public record Answer(String route, int status, JsonNode body) {
    }

    /** Everything the report shows. */
    public record Result(Settings settings, Instant from, Instant to, long usageEvents, long telemetryEvents,
                         long resent, long malformed, int jobs, int failedJobs, long delivered, long invocations,
                         List<String> running, Map<String, String> absent, Map<String, String> schedules,
                         Map<String, Answer> answers, Map<String, Integer> published, List<PoolWorkload.Miner> miners,
                         List<String> tenants, int collections, Duration elapsed) {
    }

    private final LocalSystem system;
    private int collections;

    public Simulation(LocalSystem system) {
        this.system = system;
    }

    public Result run(Settings settings, Instant now) {
        long began = System.nanoTime();
        Duration heartbeat = Duration.ofSeconds(Long.parseLong(new LocalValues(system.template(), Map.of())
                .resolve(system.template().parameters().containsKey("HeartbeatIntervalSeconds")
                        ? new Intrinsic("Ref", "HeartbeatIntervalSeconds") : "60")));
        PoolWorkload workload = new PoolWorkload(settings.seed(), settings.miners(), settings.tenants(),
                now.minus(Duration.ofHours(settings.hours())), heartbeat);
        String admin = system.issueKey("ADMIN", "ops");
        Map<String, String> tenantKeys = new LinkedHashMap<>();
        for (String tenant : workload.tenants()) {
            tenantKeys.put(tenant, system.issueKey("TENANT", tenant));
        }
        Map<String, Answer> answers = new LinkedHashMap<>();
        for (int t = 0; t < workload.tenants().size(); t++) {
            String tenant = workload.tenants().get(t);
            String limit = Integer.toString(40_000 + 30_000 * t);
            call(answers, "PUT", "/quota/limits/" + tenant, Map.of(), admin, "{\"resource\": \"GPU\", \"unit\": \"compute_seconds\","
                    + " \"period\": \"DAY\", \"limit\": \"" + limit + "\", \"softLimitPct\": \"80\", \"hard\": false}");
        }
        long usageEvents = 0;
        long telemetryEvents = 0;
        long resent = 0;
        int jobs = 0;
        int failed = 0;
        for (int h = 0; h < settings.hours(); h++) {
            PoolWorkload.Hour hour = workload.hour(h);
            jobs += hour.jobs();
            failed += hour.failedJobs();
            List<ObjectNode> usage = new ArrayList<>(hour.usage());
            // producers resend now and then: the same (source, id) must be counted once
            for (int i = 0; i < usage.size(); i += 25) {
                usage.add(usage.get(i).deepCopy());
                resent++;
            }
            usageEvents += hour.usage().size();
            telemetryEvents += hour.telemetry().size();
            put("UsageEventsStream", usage);
            put("MinerTelemetryStream", hour.telemetry());
            system.streams().drain();
            collectAt(hour.start().plus(Duration.ofHours(1)).isAfter(now) ? now : hour.start().plus(Duration.ofHours(1)));
        }
        system.streams().put("UsageEventsStream", List.of("{\"specversion\": \"1.0\", \"id\": broken", "{\"specversion\": \"1.0\","
                + " \"id\": \"bad-unit\", \"source\": \"//nodes/x\", \"type\": \"compute.usage.v1\", \"subject\": \"acme\", \"time\": \""
                + now.minusSeconds(60) + "\", \"data\": {\"resource\": \"GPU\", \"unit\": \"gb\", \"quantity\": \"1\"}}"),
                List.of("acme", "acme"));
        system.streams().drain();
        Map<String, String> schedules = system.schedules().fireAll(Instant.now());
        Instant from = workload.start();
        Instant to = now.plusSeconds(1);
        String window = "from=" + from + "&to=" + to;
        String month = YearMonth.from(now.atZone(ZoneOffset.UTC)).toString();
        for (String tenant : workload.tenants()) {
            String key = tenantKeys.get(tenant);
            call(answers, "GET", "/usage/" + tenant, query(window + "&granularity=HOUR&limit=1000"), key, null);
            call(answers, "GET", "/usage/" + tenant + "/trend", query("days=7"), key, null);
            call(answers, "GET", "/quota/" + tenant, Map.of(), key, null);
            call(answers, "GET", "/invoices/" + tenant + "/" + month, Map.of(), key, null);
        }
        String first = workload.tenants().get(0);
        String second = workload.tenants().size() > 1 ? workload.tenants().get(1) : first;
        call(answers, "GET#cross-tenant", "/usage/" + second, query(window), tenantKeys.get(first), null);
        call(answers, "GET#no-key", "/usage/" + first, query(window), null, null);
        call(answers, "GET", "/sla/metrics", Map.of(), admin, null);
        call(answers, "GET", "/sla/violations", query("since=" + from + "&limit=1000"), admin, null);
        call(answers, "GET", "/sla/capacity/snapshots", query(window + "&limit=1000"), admin, null);
        call(answers, "GET", "/sla/capacity/forecast", query("hours=" + Math.min(168, Math.max(24, settings.hours()))), admin, null);
        call(answers, "GET", "/sla/capacity/recommendations", Map.of(), admin, null);
        for (PoolWorkload.Miner miner : workload.miners()) {
            call(answers, "GET", "/sla/budgets/" + miner.id(), Map.of(), admin, null);
        }
        call(answers, "GET", "/sla/billing/usage", query("tenant=" + first + "&" + window), admin, null);
        Map<String, Integer> published = new LinkedHashMap<>();
        system.publishedEvents().forEach(e -> published.merge(e.detailType(), 1, Integer::sum));
        return new Result(settings, from, to, usageEvents, telemetryEvents, resent, 2, jobs, failed,
                system.streams().delivered(), system.streams().invocations(), system.runningFunctions(),
                system.absentFunctions(), schedules, answers, published, workload.miners(), workload.tenants(),
                collections, Duration.ofNanos(System.nanoTime() - began));
    }

    /**
     * The SLA collection the schedule would have run at the end of a simulated hour: the collector's
     * own service code, built with the collector function's environment, on a clock fixed at that time.
     */
    private void collectAt(Instant at) {
        if (!system.running("SlaCollectorFunction")) {
            return;
        }
        system.hosting("SlaCollectorFunction", () -> SlaCollection.fromEnv(Env.system()).collector(AwsClients.dynamoDb(),
                new EventBridgePublisher(AwsClients.eventBridge(), SlaCollection.busName(Env.system())),
                Clock.fixed(at, ZoneOffset.UTC))).collect();
        collections++;
    }

    private void put(String stream, List<ObjectNode> events) {
        if (!system.streams().consumed(stream)) {
            return;
        }
        // up to 100 events per record, as producers batch them (the contract allows arrays of 500)
        List<String> data = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 100) {
            List<ObjectNode> chunk = events.subList(i, Math.min(events.size(), i + 100));
            data.add(Json.mapper().valueToTree(chunk).toString());
            keys.add(chunk.get(0).path("subject").asText());
        }
        system.streams().put(stream, data, keys);
    }

    private void call(Map<String, Answer> answers, String method, String path, Map<String, String> query, String key, String body) {
        String httpMethod = method.contains("#") ? method.substring(0, method.indexOf('#')) : method;
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        APIGatewayProxyResponseEvent response = system.api().handle(httpMethod, path, query, headers, body);
        JsonNode parsed;
        try {
            parsed = response.getBody() == null ? Json.object() : Json.mapper().readTree(response.getBody());
        } catch (Exception e) {
            parsed = Json.object().put("raw", response.getBody());
        }
        answers.put(method + " " + path, new Answer(method + " " + path, response.getStatusCode(), parsed));
    }

    static Map<String, String> query(String text) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            query.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return query;
    }
}
