package com.poolhub.metering.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.quota.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key rate guard in front of a router's routes. */
class KeyRateGuardTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    /** Grants the first {@code budget} tokens taken, then refuses with a 2.5 s wait; records every take. */
    private static final class CountingLimiter implements RequestLimiter {
        final List<String> takes = new ArrayList<>();
        long budget;

        CountingLimiter(long budget) {
            this.budget = budget;
        }

        @Override
        public Optional<Duration> take(String key, RateLimit limit, long cost, Instant now) {
            takes.add(key + " " + limit.perMinute() + " " + cost);
            if (cost > budget) {
                return Optional.of(Duration.ofMillis(2500));
            }
            budget -= cost;
            return Optional.empty();
        }
    }

    private static ApiRouter router(RequestLimiter limiter) {
        return new ApiRouter().get("/usage/{tenant}", request -> ApiResponse.ok(Map.of("ok", true)))
                .post("/quota/consume", request -> ApiResponse.ok(Map.of("ok", true)))
                .limitedBy(new KeyRateGuard(KeyRateLimits.parse(KeyRateLimits.DEFAULT), limiter, CLOCK));
    }

    private static APIGatewayProxyRequestEvent request(String method, String path, Map<String, String> query, String role) {
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent().withHttpMethod(method).withPath(path)
                .withQueryStringParameters(query);
        if (role != null) {
            Map<String, Object> authorizer = new HashMap<>(Map.of(Caller.ROLE_KEY, role, Caller.ID_KEY, "acme"));
            authorizer.put(ApiRequest.KEY_ID, "key-1");
            APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
            context.setAuthorizer(authorizer);
            event.setRequestContext(context);
        }
        return event;
    }

    @Test
    void aSpentKey_gets429WithRetryAfterInWholeSeconds_andTheErrorBody() {
        CountingLimiter limiter = new CountingLimiter(1);
        ApiRouter router = router(limiter);

        assertEquals(200, router.handle(request("GET", "/usage/acme", null, "TENANT")).getStatusCode());
        APIGatewayProxyResponseEvent refused = router.handle(request("GET", "/usage/acme", null, "TENANT"));

        assertEquals(429, refused.getStatusCode());
        assertEquals("3", refused.getHeaders().get("Retry-After"));
        assertTrue(refused.getBody().contains("\"code\":\"RATE_LIMITED\""), refused.getBody());
        assertEquals(List.of("key-1 600 1", "key-1 600 1"), limiter.takes);
    }

    @Test
    void aRequestOverALongRange_costsOneTokenPerStarted31Days() {
        CountingLimiter limiter = new CountingLimiter(100);
        ApiRouter router = router(limiter);

        router.handle(request("GET", "/usage/acme", Map.of("from", "2026-10-22T12:00:00Z"), "TENANT"));
        router.handle(request("GET", "/usage/acme", Map.of("from", "2026-10-22T11:59:59Z"), "TENANT"));
        router.handle(request("GET", "/usage/acme", Map.of("from", "2025-10-18T00:00:00Z", "to", "2026-11-22T00:00:00Z"), "ADMIN"));
        router.handle(request("GET", "/usage/acme", Map.of("days", "90"), "TENANT"));
        router.handle(request("GET", "/usage/acme", Map.of("from", "yesterday"), "TENANT"));

        assertEquals(List.of("key-1 600 1", "key-1 600 2", "key-1 1200 13", "key-1 600 3", "key-1 600 1"), limiter.takes);
    }

    @Test
    void consume_andCallsWithoutACaller_areNotLimited_andALimiterThatFails_letsTheRequestThrough() {
        CountingLimiter limiter = new CountingLimiter(0);
        ApiRouter router = router(limiter);
        assertEquals(200, router.handle(request("POST", "/quota/consume", null, "TENANT")).getStatusCode());
        assertEquals(200, router.handle(request("GET", "/usage/acme", null, null)).getStatusCode());
        assertEquals(List.of(), limiter.takes);

        ApiRouter failing = router((key, limit, cost, now) -> {
            throw new IllegalStateException("throttled");
        });
        assertEquals(200, failing.handle(request("GET", "/usage/acme", null, "TENANT")).getStatusCode());
    }

    @Test
    void limits_parseRolesRatesAndOff_andRefuseMalformedText() {
        KeyRateLimits limits = KeyRateLimits.parse("TENANT=60/10");
        assertEquals(Optional.of(new RateLimit(60, 10)), limits.of(Caller.Role.TENANT, "GET /usage/{tenant}"));
        assertEquals(Optional.empty(), limits.of(Caller.Role.ADMIN, "GET /usage/{tenant}"));
        assertEquals(Optional.empty(), limits.of(Caller.Role.TENANT, "POST /quota/consume"));
        assertTrue(KeyRateLimits.parse("off").perRole().isEmpty());
        for (String bad : List.of("TENANT=60", "OWNER=1/1", "TENANT=0/10", "TENANT=a/b", "TENANT=1/1,TENANT=2/2")) {
            assertThrows(IllegalStateException.class, () -> KeyRateLimits.parse(bad), bad);
        }
    }
}
