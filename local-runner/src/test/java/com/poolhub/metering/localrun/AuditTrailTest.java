package com.poolhub.metering.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit trail through the system as the template builds it: keys issued by the key tool and a
 * limit set through the API behind the authorizer are recorded with the acting key's id, and the
 * day's chain verifies.
 */
class AuditTrailTest {
    private static LocalSystem system;

    @BeforeAll
    static void start() {
        system = LocalSystem.start(Path.of("..", "template.yaml"));
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    private static JsonNode call(String method, String path, Map<String, String> query, String key, String body) throws Exception {
        APIGatewayProxyResponseEvent response = system.api().handle(method, path, query,
                Map.of("Authorization", "Bearer " + key), body);
        assertTrue(response.getStatusCode() < 300, method + " " + path + ": " + response.getStatusCode() + " " + response.getBody());
        return Json.parse(response.getBody());
    }

    /** The key id of an API key {@code phk_<id>_<secret>}. */
    private static String idOf(String key) {
        return key.split("_")[1];
    }

    @Test
    void aLimitSetThroughTheApi_isRecordedWithTheActingKey_andTheDayVerifies() throws Exception {
        String admin = system.issueKey("ADMIN", "audit-ops");
        call("PUT", "/quota/limits/acme", Map.of(), admin,
                "{\"resource\": \"GPU\", \"unit\": \"compute_seconds\", \"period\": \"DAY\", \"limit\": \"500\"}");

        JsonNode page = call("GET", "/audit", Map.of("principal", "audit-ops"), admin, null);
        List<JsonNode> records = new ArrayList<>();
        page.get("records").forEach(records::add);
        assertEquals(1, records.size(), page.toString());
        JsonNode limit = records.get(0);
        assertEquals("QUOTA_LIMITS_SET", limit.get("type").asText());
        assertEquals(idOf(admin), limit.get("keyId").asText());
        assertEquals("500", limit.at("/after/limit").asText());
        assertTrue(limit.at("/before/limit").isNull());

        JsonNode issued = call("GET", "/audit", Map.of("type", "API_KEY_ISSUED"), admin, null);
        List<String> subjects = new ArrayList<>();
        issued.get("records").forEach(r -> subjects.add(r.get("subject").asText()));
        assertTrue(subjects.contains(idOf(admin)), subjects.toString());

        String today = LocalDate.now(ZoneOffset.UTC).toString();
        JsonNode verification = call("GET", "/audit/verify", Map.of("day", today), admin, null);
        assertTrue(verification.get("intact").asBoolean(), verification.toString());
        assertTrue(verification.get("records").asInt() >= 2, verification.toString());
    }
}
