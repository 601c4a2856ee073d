package com.poolhub.metering.quota.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.audit.StoredAuditRecord;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every change of limits is recorded first, with the limit before and after; no record, no change. */
class QuotaLimitsAuditTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-22");
    private static final String GPU_DAY_100 = """
            {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"100","softLimitPct":"80","hard":true}""";
    private static final String GPU_DAY_250_WITH_RATE = """
            {"resource":"GPU","unit":"compute_seconds","period":"DAY","limit":"250","hard":false,"rate":{"perMinute":60,"burst":10}}""";

    private final QuotaFixture fx = new QuotaFixture();

    /** A PUT /quota/limits/acme by an admin, with the key id the authorizer passes on. */
    private static APIGatewayProxyRequestEvent put(String body) {
        APIGatewayProxyRequestEvent event = QuotaFixture.putLimits("acme", body);
        Map<String, Object> authorizer = new HashMap<>(event.getRequestContext().getAuthorizer());
        authorizer.put("keyId", "0f1e2d3c4b5a6978");
        event.getRequestContext().setAuthorizer(authorizer);
        return event;
    }

    private List<AuditRecord> records() {
        return fx.audit.day(DAY).stream().map(StoredAuditRecord::record).toList();
    }

    @Test
    void settingLimits_recordsWhoAndTheLimitBeforeAndAfter() {
        assertEquals(200, fx.call(put(GPU_DAY_100)).getStatusCode());
        assertEquals(200, fx.call(put(GPU_DAY_250_WITH_RATE)).getStatusCode());

        List<AuditRecord> records = records();
        assertEquals(2, records.size());
        AuditRecord first = records.get(0);
        assertEquals(AuditTypes.QUOTA_LIMITS_SET, first.change().type());
        assertEquals("acme", first.change().subject());
        assertEquals("ADMIN", first.actor().role());
        assertEquals("ops-admin", first.actor().principal());
        assertEquals("0f1e2d3c4b5a6978", first.actor().keyId());
        assertEquals("c6af9ac6-7b61-11e6-9a41-93e8deadbeef", first.actor().requestId());
        assertTrue(first.change().before().get("limit").isNull(), first.change().before().toString());
        assertEquals("100", first.change().after().get("limit").asText());

        JsonNode before = records.get(1).change().before();
        JsonNode after = records.get(1).change().after();
        assertEquals("100", before.get("limit").asText());
        assertTrue(before.get("rate").isNull(), "no rate limit before");
        assertEquals("250", after.get("limit").asText());
        assertEquals(60, after.get("rate").get("perMinute").asLong());
        assertEquals(first.link(), records.get(1).previous());
    }

    @Test
    void aRefusedChange_isNotRecorded() {
        assertEquals(403, fx.call(QuotaFixture.sample("quota-put-limits.json", GPU_DAY_100, "TENANT", "acme")).getStatusCode());
        assertEquals(400, fx.call(QuotaFixture.putLimits("acme", "{\"resource\":\"GPU\"}")).getStatusCode());
        assertEquals(List.of(), records());
    }

    @Test
    void whenTheAuditRecordCannotBeWritten_theLimitIsNotChanged_andTheAnswerIs503() {
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> unaudited = ConformingApi.of(
                new QuotaFunction(fx.service, (actor, change) -> {
                    throw new AuditUnavailableException("audit table unavailable", null);
                }));
        APIGatewayProxyResponseEvent refused = unaudited.handleRequest(QuotaFixture.putLimits("acme", GPU_DAY_100), null);

        assertEquals(503, refused.getStatusCode(), refused.getBody());
        assertEquals("UNAVAILABLE", QuotaFixture.body(refused).get("error").get("code").asText());
        JsonNode overview = QuotaFixture.body(fx.call(QuotaFixture.overview("acme", "ADMIN", "ops-admin")));
        assertEquals(0, overview.get("quotas").size(), overview.toString());
    }
}
