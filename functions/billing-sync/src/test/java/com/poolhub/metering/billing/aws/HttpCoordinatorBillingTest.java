package com.poolhub.metering.billing.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.billing.BillingMetric;
import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.billing.CoordinatorBilling.Outcome;
import com.poolhub.metering.billing.UsageRecord;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import com.poolhub.metering.local.RecordingHttpEndpoint.Fault;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpCoordinatorBillingTest {
    private static final Instant HOUR = Instant.parse("2026-11-22T10:00:00Z");
    private final RecordingHttpEndpoint endpoint = RecordingHttpEndpoint.start(
            request -> new RecordingHttpEndpoint.Response(201, "application/json", "{}"));
    private final Deque<String> keys = new ArrayDeque<>(List.of("key-1", "key-2"));
    private final CachedApiKey apiKey = new CachedApiKey(keys::pop, Duration.ofHours(1), Clock.systemUTC());
    private final HttpCoordinatorBilling client = new HttpCoordinatorBilling(
            java.net.URI.create(endpoint.endpoint() + "/billing/"), apiKey,
            HttpCoordinatorBilling.client(Duration.ofSeconds(2)), Duration.ofMillis(1500));
    private final UsageRecord record = UsageRecord.pending("acme", HOUR, HOUR.plusSeconds(3600),
            BillingMetric.GPU_HOURS, 1, new BigDecimal("0.5"), HOUR);

    @AfterEach
    void close() {
        endpoint.close();
    }

    @Test
    void submit_postsTheRecordWithBearerKeyIdempotencyKeyAndDecimalStringQuantity() throws Exception {
        assertEquals(Outcome.ACCEPTED, client.submit(record).outcome());

        RecordingHttpEndpoint.Request sent = endpoint.requests().get(0);
        assertEquals("POST", sent.method());
        assertEquals("/billing/usage", sent.path());
        assertEquals("Bearer key-1", sent.header("Authorization"));
        assertEquals("acme/2026-11-22T10:00:00Z/gpu_hours/adj-1", sent.header("Idempotency-Key"));
        assertTrue(sent.header("Content-Type").startsWith("application/json"));
        JsonNode body = Json.parse(sent.body());
        assertEquals("acme", body.get("tenant").asText());
        assertEquals("2026-11-22T10:00:00Z", body.get("periodStart").asText());
        assertEquals("2026-11-22T11:00:00Z", body.get("periodEnd").asText());
        assertEquals("gpu_hours", body.get("metric").asText());
        assertTrue(body.get("quantity").isTextual());
        assertEquals("0.500000000", body.get("quantity").asText());
        assertEquals("ADJUSTMENT", body.get("kind").asText());
        assertEquals(1, body.get("revision").asInt());
    }

    @Test
    void submit_classifiesStatusesTimeoutsAndLostResponses() {
        endpoint.inject(new Fault.Status(500, "{}"), new Fault.Status(429, "{}"), new Fault.Status(408, ""),
                new Fault.Status(422, "{\"error\":\"bad\"}"), new Fault.Status(409, "{}"), new Fault.Delay(2500),
                new Fault.LoseResponse());
        assertEquals(Outcome.RETRYABLE, client.submit(record).outcome());
        assertEquals(Outcome.RETRYABLE, client.submit(record).outcome());
        assertEquals(Outcome.RETRYABLE, client.submit(record).outcome());
        var refused = client.submit(record);
        assertEquals(Outcome.REJECTED, refused.outcome());
        assertTrue(refused.detail().contains("HTTP 422"), refused.detail());
        assertEquals(Outcome.REJECTED, client.submit(record).outcome());
        var timedOut = client.submit(record);
        assertEquals(Outcome.RETRYABLE, timedOut.outcome());
        assertTrue(timedOut.detail().contains("timed out"), timedOut.detail());
        assertEquals(Outcome.RETRYABLE, client.submit(record).outcome());
        assertEquals(Outcome.ACCEPTED, client.submit(record).outcome());
    }

    @Test
    void submit_on401_dropsTheCachedKeySoTheRetryUsesTheRotatedOne() {
        endpoint.inject(new Fault.Status(401, "{}"));

        assertEquals(Outcome.RETRYABLE, client.submit(record).outcome());
        var retry = client.submit(record);
        assertEquals(Outcome.ACCEPTED, retry.outcome(), retry.detail());

        assertEquals("Bearer key-1", endpoint.requests().get(0).header("Authorization"));
        assertEquals("Bearer key-2", endpoint.requests().get(1).header("Authorization"));
    }
}
