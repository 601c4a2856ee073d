package com.poolhub.metering.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A successful API answer: status, JSON body (a Jackson node or any serialisable value) and headers.
 * Money and quantities go in bodies as decimal strings, per the contract. A {@link Text} body is sent
 * as it is, with its own content type (the console's files).
 */
public record ApiResponse(int status, Object body, Map<String, String> headers) {
    static final Map<String, String> JSON_HEADERS = Map.of("Content-Type", "application/json");

    /** A body that is not JSON: its text and content type. */
    public record Text(String contentType, String text) {
    }

    /** A text answer (HTML, JavaScript, CSS) with its content type. */
    public static ApiResponse text(int status, String contentType, String text) {
        return new ApiResponse(status, new Text(contentType, text), Map.of());
    }

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
        if (body instanceof Text text) {
            all.put("Content-Type", text.contentType());
            all.putAll(headers);
            return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(all).withBody(text.text());
        }
        all.putAll(headers);
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(all).withBody(Json.write(body));
    }
}
