package com.poolhub.metering.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code serve} over real HTTP: events in through a stream, figures out through the API, keys checked. */
class LocalServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static LocalSystem system;
    private static LocalServer server;

    @BeforeAll
    static void start() throws Exception {
        system = LocalSystem.start(Path.of("..", "template.yaml"));
        server = LocalServer.start(system, 0);
    }

    @AfterAll
    static void stop() {
        server.close();
        system.close();
    }

    @Test
    void theOpenApiDescription_isServed() throws Exception {
        HttpResponse<String> description = send("GET", "/openapi.yaml", null, null);

        assertEquals(200, description.statusCode());
        assertEquals("application/yaml", description.headers().firstValue("Content-Type").orElse(""));
        assertTrue(description.body().startsWith("openapi: 3.1.0"), description.body().substring(0, 40));
        assertTrue(description.body().contains("  /usage/{tenant}:"));
    }

    @Test
    void usagePutOnTheStream_isReadBackByItsTenant_andHiddenFromAnother() throws Exception {
        String acme = issue("TENANT", "acme");
        String globex = issue("TENANT", "globex");
        Instant at = Instant.now().minusSeconds(120).truncatedTo(ChronoUnit.SECONDS);
        String event = "{\"specversion\": \"1.0\", \"id\": \"srv-1\", \"source\": \"//nodes/n1\", \"type\": \"compute.usage.v1\","
                + " \"subject\": \"acme\", \"time\": \"" + at + "\", \"data\": {\"resource\": \"GPU\", \"unit\": \"compute_seconds\","
                + " \"quantity\": \"42.5\"}}";

        JsonNode put = json(send("POST", "/local/streams/UsageEventsStream", null, "[" + event + ", " + event + "]"));
        HttpResponse<String> own = send("GET", "/usage/acme?granularity=MINUTE&from=" + at.minusSeconds(60) + "&to=" + at.plusSeconds(60), acme, null);
        HttpResponse<String> other = send("GET", "/usage/acme?from=" + at.minusSeconds(60) + "&to=" + at.plusSeconds(60), globex, null);
        HttpResponse<String> otherQuota = send("GET", "/quota/acme", globex, null);

        assertEquals(2, put.path("delivered").asInt());
        assertEquals(200, own.statusCode(), own.body());
        assertEquals("42.5", json(own).path("lines").get(0).path("quantity").asText());
        assertEquals(403, other.statusCode());
        assertEquals("FORBIDDEN", json(other).path("error").path("code").asText());
        assertEquals(403, otherQuota.statusCode());
    }

    @Test
    void missingBadAndRevokedKeys_areUnauthorized() throws Exception {
        String admin = issue("ADMIN", "ops");
        HostedFunction keyTool = system.function("ApiKeyAdminFunction").orElseThrow();
        String revoked = issue("TENANT", "acme");
        keyTool.invoke(Map.of("action", "revoke", "keyId", revoked.substring(4, 20)), Map.class);

        assertEquals(401, send("GET", "/quota/acme", null, null).statusCode());
        assertEquals(401, send("GET", "/quota/acme", "phk_0000000000000000_" + "A".repeat(43), null).statusCode());
        assertEquals(401, send("GET", "/quota/acme", "not-a-key", null).statusCode());
        HttpResponse<String> afterRevoke = send("GET", "/quota/acme", revoked, null);
        assertEquals(401, afterRevoke.statusCode());
        assertEquals("UNAUTHORIZED", json(afterRevoke).path("error").path("code").asText());
        assertEquals(200, send("GET", "/quota/acme", admin, null).statusCode());
    }

    @Test
    void minerKey_seesItsOwnMetricsOnly() throws Exception {
        String miner = issue("MINER", "gpu-node-01");

        int own = send("GET", "/sla/metrics/gpu-node-01", miner, null).statusCode();
        assertTrue(own == 200 || own == 404, "own metrics answered " + own);
        assertEquals(403, send("GET", "/sla/metrics/gpu-node-02", miner, null).statusCode());
        assertEquals(403, send("GET", "/usage/acme", miner, null).statusCode());
    }

    @Test
    void aKeyThatSpendsItsRate_gets429WithRetryAfter_whileAnotherTenantsKeyIsServed() throws Exception {
        String flooder = issue("TENANT", "acme");
        String other = issue("TENANT", "globex");
        // a year of days costs 13 tokens of the tenant burst of 120 (ApiRateLimits' default)
        String year = "/usage/acme?from=" + java.time.Instant.now().minus(java.time.Duration.ofDays(399))
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "&granularity=DAY";
        HttpResponse<String> refused = null;
        for (int i = 0; i < 40 && refused == null; i++) {
            HttpResponse<String> answer = send("GET", year, flooder, null);
            assertTrue(answer.statusCode() == 200 || answer.statusCode() == 429, answer.statusCode() + " " + answer.body());
            if (answer.statusCode() == 429) {
                refused = answer;
            }
        }

        assertTrue(refused != null, "the flooding key was never refused");
        assertEquals("RATE_LIMITED", json(refused).path("error").path("code").asText());
        assertTrue(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        assertEquals(200, send("GET", "/usage/globex", other, null).statusCode());
    }

    private static String issue(String role, String principal) throws Exception {
        return json(send("POST", "/local/keys", null, "{\"role\": \"" + role + "\", \"principal\": \"" + principal + "\"}"))
                .path("apiKey").asText();
    }

    private static HttpResponse<String> send(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }
}
