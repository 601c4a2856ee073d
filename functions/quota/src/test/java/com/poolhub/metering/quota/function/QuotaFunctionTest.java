package com.poolhub.metering.quota.function;

import static com.poolhub.metering.quota.function.QuotaFixture.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.quota.QuotaEvents;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class QuotaFunctionTest {
    private final QuotaFixture fx = new QuotaFixture();

    private static final String GPU_DAY_100 = """
            {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"100","softLimitPct":"80","hard":true}""";

    private static void assertError(APIGatewayProxyResponseEvent response, int status, String code) {
        assertEquals(status, response.getStatusCode(), response.getBody());
        JsonNode error = body(response).get("error");
        assertEquals(code, error.get("code").asText());
        assertFalse(error.get("message").asText().isBlank());
        assertFalse(response.getBody().contains("Exception"), response.getBody());
    }

    @Test
    void sampleEvents_setLimits_check_consume_andOverview() {
        APIGatewayProxyResponseEvent put = fx.call(QuotaFixture.sample("quota-put-limits.json"));
        assertEquals(200, put.getStatusCode(), put.getBody());
        assertEquals("3600", body(put).get("limit").asText());
        assertEquals(120, body(put).get("rate").get("perMinute").asLong());

        JsonNode check = body(fx.call(QuotaFixture.sample("quota-check.json")));
        assertEquals("AVAILABLE", check.get("status").asText());
        assertEquals("3600", check.get("limit").asText());
        assertEquals("0", check.get("used").asText());
        assertEquals("120.5", check.get("requested").asText());
        assertEquals("3600", check.get("remaining").asText());
        assertEquals("2026-11-23T00:00:00Z", check.get("resetAt").asText());

        APIGatewayProxyResponseEvent consumed = fx.call(QuotaFixture.sample("quota-consume.json"));
        assertEquals(200, consumed.getStatusCode(), consumed.getBody());
        assertEquals("120.5", body(consumed).get("used").asText());
        assertEquals("3479.5", body(consumed).get("remaining").asText());
        assertEquals(19, body(consumed).get("rate").get("tokensLeft").asLong());

        JsonNode overview = body(fx.call(QuotaFixture.sample("quota-get.json")));
        assertEquals("acme", overview.get("tenant").asText());
        JsonNode quota = overview.get("quotas").get(0);
        assertEquals("DAY", quota.get("period").asText());
        assertEquals("120.5", quota.get("used").asText());
        assertEquals("2026-11-22T00:00:00Z", quota.get("periodStart").asText());
        assertEquals("2026-11-23T00:00:00Z", quota.get("resetAt").asText());
        assertEquals(19, overview.get("rate").get("tokensAvailable").asLong());
    }

    @Test
    void consume_adminNamingATenantWithoutQuota_isAvailableWithoutLimit() {
        APIGatewayProxyResponseEvent response = fx.call(QuotaFixture.sample("quota-consume-admin.json"));
        assertEquals(200, response.getStatusCode(), response.getBody());
        JsonNode answer = body(response);
        assertEquals("acme", answer.get("tenant").asText());
        assertEquals("AVAILABLE", answer.get("status").asText());
        assertTrue(answer.get("limit").isNull());
    }

    @Test
    void check_changesNothing() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100));
        String ask = """
                {"resource":"GPU","unit":"compute_seconds","amount":"90"}""";
        JsonNode first = body(fx.call(QuotaFixture.check("acme", ask)));
        JsonNode second = body(fx.call(QuotaFixture.check("acme", ask)));
        assertEquals("WARNING", first.get("status").asText());
        assertEquals("0", second.get("used").asText());
        assertTrue(fx.publisher.published().isEmpty());
    }

    @Test
    void consume_whenHardLimitReached_returns429WithRetryAfterUntilTheReset() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100));
        APIGatewayProxyResponseEvent all = fx.call(QuotaFixture.consume("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":100}"""));
        assertEquals(200, all.getStatusCode(), all.getBody());
        assertEquals("WARNING", body(all).get("status").asText());
        assertEquals("0", body(all).get("remaining").asText());

        APIGatewayProxyResponseEvent refused = fx.call(QuotaFixture.consume("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":"0.000000001"}"""));
        assertError(refused, 429, "QUOTA_EXCEEDED");
        assertEquals(Long.toString(Duration.ofHours(12).toSeconds()), refused.getHeaders().get("Retry-After"));
        var exceeded = fx.publisher.published(QuotaEvents.EXCEEDED);
        assertEquals(1, exceeded.size());
        assertEquals("acme", exceeded.get(0).detail().get("tenant").asText());
        assertEquals("0.000000001", exceeded.get(0).detail().get("requested").asText());
    }

    @Test
    void consume_refusedRepeatedly_announcesQuotaExceededOncePerMinuteWithTheRefusalsSoFar() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100));
        assertEquals(200, fx.call(QuotaFixture.consume("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":100}""")).getStatusCode());
        String over = """
                {"resource":"GPU","unit":"compute_seconds","amount":1}""";
        for (int i = 0; i < 100; i++) {
            assertError(fx.call(QuotaFixture.consume("acme", over)), 429, "QUOTA_EXCEEDED");
            fx.clock.advance(Duration.ofMillis(500));
        }
        var exceeded = fx.publisher.published(QuotaEvents.EXCEEDED);
        assertEquals(1, exceeded.size(), "100 refusals within 50 s of one minute");
        assertEquals(1, exceeded.get(0).detail().get("refusals").asLong());

        fx.clock.advance(Duration.ofMinutes(1));
        assertError(fx.call(QuotaFixture.consume("acme", over)), 429, "QUOTA_EXCEEDED");
        assertError(fx.call(QuotaFixture.consume("acme", over)), 429, "QUOTA_EXCEEDED");
        exceeded = fx.publisher.published(QuotaEvents.EXCEEDED);
        assertEquals(2, exceeded.size(), "the next minute's first refusal announces again");
        assertEquals(101, exceeded.get(1).detail().get("refusals").asLong());
        assertEquals("100", exceeded.get(1).detail().get("used").asText());
    }

    @Test
    void consume_refusedInANewPeriod_countsRefusalsFromZero() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100));
        String all = """
                {"resource":"GPU","unit":"compute_seconds","amount":100}""";
        String over = """
                {"resource":"GPU","unit":"compute_seconds","amount":1}""";
        fx.call(QuotaFixture.consume("acme", all));
        assertError(fx.call(QuotaFixture.consume("acme", over)), 429, "QUOTA_EXCEEDED");
        assertError(fx.call(QuotaFixture.consume("acme", over)), 429, "QUOTA_EXCEEDED");
        fx.clock.advance(Duration.ofDays(1));
        fx.call(QuotaFixture.consume("acme", all));
        assertError(fx.call(QuotaFixture.consume("acme", over)), 429, "QUOTA_EXCEEDED");
        var exceeded = fx.publisher.published(QuotaEvents.EXCEEDED);
        assertEquals(2, exceeded.size());
        assertEquals(1, exceeded.get(1).detail().get("refusals").asLong());
        assertEquals("2026-11-23T00:00:00Z", exceeded.get(1).detail().get("periodStart").asText());
    }

    @Test
    void consume_whenRateLimitHit_returns429WithRetryAfter() {
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"GPU","unit":"compute_seconds","period":"HOUR","limit":"1000","rate":{"perMinute":2,"burst":1}}"""));
        String ask = """
                {"resource":"GPU","unit":"compute_seconds","amount":"1"}""";
        assertEquals(200, fx.call(QuotaFixture.consume("acme", ask)).getStatusCode());
        APIGatewayProxyResponseEvent limited = fx.call(QuotaFixture.consume("acme", ask));
        assertError(limited, 429, "RATE_LIMITED");
        assertEquals("30", limited.getHeaders().get("Retry-After"));
        fx.clock.advance(Duration.ofSeconds(30));
        assertEquals(200, fx.call(QuotaFixture.consume("acme", ask)).getStatusCode());
    }

    @Test
    void consume_softOnlyQuota_allowsBeyondTheLimitAndReportsExceeded() {
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"INFERENCE","unit":"tokens","period":"MONTH","limit":"1000","softLimitPct":50,"hard":false}"""));
        APIGatewayProxyResponseEvent over = fx.call(QuotaFixture.consume("acme", """
                {"resource":"INFERENCE","unit":"tokens","amount":"1500"}"""));
        assertEquals(200, over.getStatusCode(), over.getBody());
        assertEquals("EXCEEDED", body(over).get("status").asText());
        assertEquals("1500", body(over).get("used").asText());
        assertEquals("0", body(over).get("remaining").asText());
        assertEquals("2026-12-01T00:00:00Z", body(over).get("resetAt").asText());
        assertEquals(2, fx.publisher.published(QuotaEvents.THRESHOLD_CROSSED).size());
        assertTrue(fx.publisher.published(QuotaEvents.EXCEEDED).isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"resource\":\"NETWORK\",\"unit\":\"tokens\",\"amount\":\"1\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"-1\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"1e5\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"ten\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"0.0000000001\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\"}",
            "{\"resource\":\"QPU\",\"unit\":\"compute_seconds\",\"amount\":\"1\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"1\",\"tenant\":\"a b\"}",
            "[1,2]",
            "not json"})
    void consume_withBadInput_returns400(String body) {
        assertError(fx.call(QuotaFixture.consume("acme", body)), 400, "VALIDATION");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"WEEK\",\"limit\":\"1\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"1\",\"softLimitPct\":\"100.5\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"1\",\"softLimitPct\":-5}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"-1\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"1\",\"hard\":\"yes\"}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"1\",\"rate\":{\"perMinute\":0,\"burst\":1}}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"1\",\"rate\":{\"perMinute\":1.5,\"burst\":1}}",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"1\",\"rate\":5}",
            "{\"resource\":\"MEMORY\",\"unit\":\"gb\",\"period\":\"DAY\",\"limit\":\"1\"}"})
    void putLimits_withBadInput_returns400(String body) {
        assertError(fx.call(QuotaFixture.putLimits("acme", body)), 400, "VALIDATION");
    }

    @Test
    void routes_checkTheCaller() {
        String ask = "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"1\",\"tenant\":\"globex\"}";
        assertError(fx.call(QuotaFixture.consume("acme", ask)), 403, "FORBIDDEN");
        assertError(fx.call(QuotaFixture.sample("quota-put-limits.json", GPU_DAY_100, "TENANT", "acme")), 403, "FORBIDDEN");
        assertError(fx.call(QuotaFixture.overview("globex", "TENANT", "acme")), 403, "FORBIDDEN");
        assertError(fx.call(QuotaFixture.sample("quota-check.json", ask, "MINER", "gpu-node-17")), 403, "FORBIDDEN");
        assertError(fx.call(QuotaFixture.sample("quota-check.json", ask, null, null)), 401, "UNAUTHORIZED");
        APIGatewayProxyRequestEvent adminWithoutTenant = QuotaFixture.sample("quota-check.json",
                "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"1\"}", "ADMIN", "ops-admin");
        assertError(fx.call(adminWithoutTenant), 400, "VALIDATION");
        assertEquals(200, fx.call(QuotaFixture.overview("globex", "ADMIN", "ops-admin")).getStatusCode());
    }

    @Test
    void putLimits_rateNull_removesTheRateLimit() {
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"10","rate":{"perMinute":1,"burst":1}}"""));
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"10","rate":null}"""));
        String ask = "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"amount\":\"1\"}";
        assertEquals(200, fx.call(QuotaFixture.consume("acme", ask)).getStatusCode());
        assertEquals(200, fx.call(QuotaFixture.consume("acme", ask)).getStatusCode());
        assertTrue(body(fx.call(QuotaFixture.overview("acme", "TENANT", "acme"))).get("rate").isNull());
    }
}
