package com.poolhub.metering.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A successful API answer: status, JSON body (a Jackson node or any serialisable value) and headers.
 * Money and quantities go in bodies as decimal strings, per the contract.
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {
    static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json");

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(201, body, Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiResponse(status, body, all);
    }

    APIGatewayProxyResponseEvent toEvent() {
        Map<String, String> all = new LinkedHashMap<>(JSON_HEADERS);
        all.putAll(headers);
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(all).withBody(Json.write(body));
    }
}
