package com.poolhub.metering.usageapi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/** The pricing tests' reads of {@code GET /usage/{tenant}} as the tenant, and the invoice's rounding rule. */
final class UsageQueries {
    private UsageQueries() {
    }

    /** A tenant's usage over a range at a granularity (one page of up to 1,000 lines); the route must answer 200. */
    static JsonNode usage(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function, String tenant,
                          String granularity, String from, String to) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("../../events/usage-api-get-usage.json");
        event.setPath("/usage/" + tenant);
        event.setQueryStringParameters(Map.of("granularity", granularity, "from", from, "to", to, "limit", "1000"));
        event.getRequestContext().setAuthorizer(new HashMap<>(Map.of("role", "TENANT", "principal", tenant)));
        var response = function.handleRequest(event, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The invoice's rule, written out: a rate version's hours summed, times its rate, rounded once half-even to 6 decimals. */
    static BigDecimal invoiceLine(BigDecimal seconds, BigDecimal rate) {
        return seconds.multiply(rate).setScale(6, RoundingMode.HALF_EVEN);
    }
}
