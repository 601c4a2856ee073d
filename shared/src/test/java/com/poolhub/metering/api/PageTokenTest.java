package com.poolhub.metering.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PageTokenTest {
    private static final Caller ADMIN = new Caller(Caller.Role.ADMIN, "ops");
    private static final PageScope SNAPSHOTS = new PageScope("GET /sla/capacity/snapshots", ADMIN, Map.of(),
            Map.of("from", "2026-11-21T12:00:00Z", "to", "2026-11-22T12:00:00Z", "limit", "10"));
    private static final Map<String, String> POSITION = Map.of("sk", "2026-11-22T10:00:00Z");

    private static int refusal(PageScope scope, String token) {
        return assertThrows(ApiException.class, () -> PageToken.read(scope, token)).status();
    }

    @Test
    void aTokenReadsBackInItsScope_whateverThePageSize() {
        String token = PageToken.issue(SNAPSHOTS, POSITION);
        PageScope otherLimit = new PageScope("GET /sla/capacity/snapshots", ADMIN, Map.of(),
                Map.of("from", "2026-11-21T12:00:00Z", "to", "2026-11-22T12:00:00Z", "limit", "500", "nextToken", token));
        assertEquals(POSITION, PageToken.read(otherLimit, token));
        assertNull(PageToken.issue(SNAPSHOTS, Map.of()));
    }

    @Test
    void aTokenOfAnotherRouteCallerOrRange_isRefused() {
        String token = PageToken.issue(SNAPSHOTS, POSITION);
        assertEquals(400, refusal(new PageScope("GET /sla/violations", ADMIN, Map.of(), SNAPSHOTS.query()), token));
        assertEquals(400, refusal(new PageScope(SNAPSHOTS.route(), new Caller(Caller.Role.TENANT, "ops"), Map.of(),
                SNAPSHOTS.query()), token));
        assertEquals(400, refusal(new PageScope(SNAPSHOTS.route(), ADMIN, Map.of(),
                Map.of("from", "2026-11-21T13:00:00Z", "to", "2026-11-22T12:00:00Z")), token));
        assertEquals(400, refusal(new PageScope("GET /usage/{tenant}", ADMIN, Map.of("tenant", "globex"), Map.of()),
                PageToken.issue(new PageScope("GET /usage/{tenant}", ADMIN, Map.of("tenant", "acme"), Map.of()), POSITION)));
    }

    @Test
    void craftedOrMalformedTokens_areRefused() {
        String scope = "\"scope\":\"" + SNAPSHOTS.digest() + "\"";
        for (String json : new String[] {"{\"sk\":\"zzzz\"}", "[]", "null", "{\"v\":1,\"scope\":\"x\",\"at\":{\"sk\":\"a\"}}",
                "{\"v\":2," + scope + ",\"at\":{\"sk\":\"a\"}}", "{\"v\":1," + scope + ",\"at\":{}}",
                "{\"v\":1," + scope + ",\"at\":{\"sk\":\"\"}}", "{\"v\":1," + scope + ",\"at\":{\"sk\":7}}",
                "{\"v\":1," + scope + ",\"at\":{\"sk\":\"" + "é".repeat(513) + "\"}}"}) {
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
            assertEquals(400, refusal(SNAPSHOTS, token), json);
        }
        assertEquals(400, refusal(SNAPSHOTS, "not a token!"));
    }

    @Test
    void aPositionOutsideTheQueryRange_isOutsideQuery() {
        assertEquals("b", PagePosition.within("b", "a", "c"));
        assertThrows(PagePosition.OutsideQuery.class, () -> PagePosition.within("zzzz", "a", "c"));
        assertThrows(PagePosition.OutsideQuery.class, () -> PagePosition.within("0", "a", null));
        assertThrows(PagePosition.OutsideQuery.class, () -> PagePosition.within(null, null, null));
        assertThrows(PagePosition.OutsideQuery.class, () -> PagePosition.matching("SYNC#beta", "SYNC#acme"));
    }
}
