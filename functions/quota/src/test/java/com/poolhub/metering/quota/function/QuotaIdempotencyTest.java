package com.poolhub.metering.quota.function;

import static com.poolhub.metering.quota.function.QuotaFixture.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.quota.QuotaEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /quota/consume} with an {@code Idempotency-Key}, on the local DynamoDB emulator. */
class QuotaIdempotencyTest {
    private static final String GPU_DAY_100_WITH_RATE = """
            {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"100","rate":{"perMinute":60,"burst":10}}""";
    private static final String TEN = """
            {"resource":"GPU","unit":"compute_seconds","amount":"10"}""";

    private final QuotaFixture fx = new QuotaFixture();

    private static APIGatewayProxyRequestEvent keyed(String tenant, String body, String header, String key) {
        APIGatewayProxyRequestEvent event = QuotaFixture.consume(tenant, body);
        Map<String, String> headers = new HashMap<>(event.getHeaders() == null ? Map.of() : event.getHeaders());
        headers.put(header, key);
        event.setHeaders(headers);
        return event;
    }

    private static APIGatewayProxyRequestEvent keyed(String tenant, String body, String key) {
        return keyed(tenant, body, "Idempotency-Key", key);
    }

    private String used(String tenant) {
        JsonNode overview = body(fx.call(QuotaFixture.overview(tenant, "ADMIN", "ops-admin")));
        return overview.get("quotas").get(0).get("used").asText();
    }

    private long tokens(String tenant) {
        return body(fx.call(QuotaFixture.overview(tenant, "ADMIN", "ops-admin"))).get("rate").get("tokensAvailable").asLong();
    }

    @Test
    void consume_sameKeyTwice_countsOnceAndAnswersIdentically() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100_WITH_RATE));
        APIGatewayProxyResponseEvent first = fx.call(keyed("acme", TEN, "order-42"));
        APIGatewayProxyResponseEvent again = fx.call(keyed("acme", TEN, "idempotency-key", "order-42"));
        assertEquals(200, first.getStatusCode(), first.getBody());
        assertEquals(first.getStatusCode(), again.getStatusCode());
        assertEquals(first.getBody(), again.getBody());
        assertEquals("10", body(again).get("used").asText());
        assertEquals(9, body(again).get("rate").get("tokensLeft").asLong());
        assertEquals("10", used("acme"));
        assertEquals(9, tokens("acme"));
    }

    @Test
    void consume_sameKeyNumericallySameAmount_replays() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100_WITH_RATE));
        APIGatewayProxyResponseEvent first = fx.call(keyed("acme", TEN, "k1"));
        APIGatewayProxyResponseEvent again = fx.call(keyed("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":10.000}""", "k1"));
        assertEquals(first.getBody(), again.getBody());
        assertEquals("10", used("acme"));
    }

    @Test
    void consume_sameKeyWithAnotherAmount_returns409AndCountsNothing() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100_WITH_RATE));
        assertEquals(200, fx.call(keyed("acme", TEN, "order-42")).getStatusCode());
        APIGatewayProxyResponseEvent reused = fx.call(keyed("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":"11"}""", "order-42"));
        assertEquals(409, reused.getStatusCode(), reused.getBody());
        assertEquals("CONFLICT", body(reused).get("error").get("code").asText());
        assertTrue(body(reused).get("error").get("message").asText().contains("order-42"));
        assertEquals("10", used("acme"));
        assertEquals(9, tokens("acme"));
    }

    /** The quota (limit 10) or the rate bucket (burst 1) is spent by the first consume of 10. */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"10\"}|QUOTA_EXCEEDED",
            "{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"period\":\"DAY\",\"limit\":\"100\",\"rate\":{\"perMinute\":1,\"burst\":1}}|RATE_LIMITED"})
    void consume_repeatAfterTheFirstSpentTheLimit_replaysInsteadOfRefusing(String limitsAndRefusal) {
        String[] parts = limitsAndRefusal.split("\\|");
        fx.call(QuotaFixture.putLimits("acme", parts[0]));
        APIGatewayProxyResponseEvent first = fx.call(keyed("acme", TEN, "once"));
        APIGatewayProxyResponseEvent again = fx.call(keyed("acme", TEN, "once"));
        assertEquals(200, again.getStatusCode(), again.getBody());
        assertEquals(first.getBody(), again.getBody());
        assertTrue(fx.publisher.published(QuotaEvents.EXCEEDED).isEmpty());
        APIGatewayProxyResponseEvent other = fx.call(keyed("acme", TEN, "another"));
        assertEquals(429, other.getStatusCode(), other.getBody());
        assertEquals(parts[1], body(other).get("error").get("code").asText());
    }

    @Test
    void consume_refusedWithAKey_isNotRecordedSoARetryIsDecidedAgain() {
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"5"}"""));
        assertEquals(429, fx.call(keyed("acme", TEN, "retry-me")).getStatusCode());
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"50"}"""));
        APIGatewayProxyResponseEvent retried = fx.call(keyed("acme", TEN, "retry-me"));
        assertEquals(200, retried.getStatusCode(), retried.getBody());
        assertEquals("10", used("acme"));
    }

    @Test
    void consume_sameKeyAfter24Hours_countsAgain() {
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"GPU","unit":"compute_seconds","period":"MONTH","limit":"100"}"""));
        APIGatewayProxyResponseEvent first = fx.call(keyed("acme", TEN, "daily"));
        fx.clock.advance(Duration.ofHours(24).minusSeconds(1));
        assertEquals(first.getBody(), fx.call(keyed("acme", TEN, "daily")).getBody());
        assertEquals("10", used("acme"));
        fx.clock.advance(Duration.ofSeconds(1));
        APIGatewayProxyResponseEvent later = fx.call(keyed("acme", TEN, "daily"));
        assertEquals(200, later.getStatusCode(), later.getBody());
        assertNotEquals(first.getBody(), later.getBody());
        assertEquals("20", used("acme"));
    }

    @Test
    void consume_keysBelongToOneTenant() {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100_WITH_RATE));
        fx.call(QuotaFixture.putLimits("globex", GPU_DAY_100_WITH_RATE));
        assertEquals(200, fx.call(keyed("acme", TEN, "shared-key")).getStatusCode());
        assertEquals(200, fx.call(keyed("globex", TEN, "shared-key")).getStatusCode());
        assertEquals("10", used("acme"));
        assertEquals("10", used("globex"));
    }

    @Test
    void consume_withoutQuotaOrRate_recordsTheKeyToo() {
        APIGatewayProxyResponseEvent first = fx.call(keyed("acme", TEN, "free"));
        assertEquals(200, first.getStatusCode(), first.getBody());
        assertEquals(409, fx.call(keyed("acme", """
                {"resource":"GPU","unit":"compute_seconds","amount":"3"}""", "free")).getStatusCode());
        assertEquals(first.getBody(), fx.call(keyed("acme", TEN, "free")).getBody());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "ключ", "semi;colon",
            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"})
    void consume_withBadKey_returns400AndCountsNothing(String key) {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100_WITH_RATE));
        APIGatewayProxyResponseEvent response = fx.call(keyed("acme", TEN, key));
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertEquals("VALIDATION", body(response).get("error").get("code").asText());
        assertEquals("0", used("acme"));
    }

    @Test
    void consume_withLongestAllowedKey_isAccepted() {
        String key = "A-z0.9_:".repeat(16);
        assertEquals(128, key.length());
        assertEquals(200, fx.call(keyed("acme", TEN, key)).getStatusCode());
    }

    @Test
    void consume_requests_withoutKeyOneUpdate_withKeyOneTransaction_repeatReadsTheRecord() {
        fx.call(QuotaFixture.putLimits("acme", """
                {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"100"}"""));
        fx.meter.reset();
        assertEquals(200, fx.call(QuotaFixture.consume("acme", TEN)).getStatusCode());
        assertEquals(Map.of("GetItem", 1L, "UpdateItem", 1L), fx.meter.requests(), "the container reads the item once");
        fx.meter.reset();
        assertEquals(200, fx.call(QuotaFixture.consume("acme", TEN)).getStatusCode());
        assertEquals(Map.of("UpdateItem", 1L), fx.meter.requests());

        fx.meter.reset();
        assertEquals(200, fx.call(keyed("acme", TEN, "k")).getStatusCode());
        assertEquals(Map.of("GetItem", 1L, "TransactWriteItems", 1L), fx.meter.requests());

        // a repeat also sends the TransactWriteItems, cancelled on the record; the meter counts
        // completed requests only, so the cancelled one does not show
        fx.meter.reset();
        assertEquals(200, fx.call(keyed("acme", TEN, "k")).getStatusCode());
        assertEquals(Map.of("GetItem", 2L), fx.meter.requests());
        assertEquals("30", used("acme"));
    }

    @Test
    void consume_sameKeyFromConcurrentCallers_countsExactlyOnce() throws Exception {
        fx.call(QuotaFixture.putLimits("acme", GPU_DAY_100_WITH_RATE));
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<APIGatewayProxyResponseEvent>> futures = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            Callable<APIGatewayProxyResponseEvent> caller = () -> {
                start.await();
                return fx.call(keyed("acme", TEN, "racing-key"));
            };
            futures.add(pool.submit(caller));
        }
        start.countDown();
        List<APIGatewayProxyResponseEvent> responses = new ArrayList<>();
        for (Future<APIGatewayProxyResponseEvent> future : futures) {
            responses.add(future.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();
        for (APIGatewayProxyResponseEvent response : responses) {
            assertEquals(200, response.getStatusCode(), response.getBody());
            assertEquals(responses.get(0).getBody(), response.getBody());
        }
        assertEquals("10", used("acme"));
        assertEquals(9, tokens("acme"));
    }
}
