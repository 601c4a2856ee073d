package com.poolhub.metering.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.event.DataFields;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One API Gateway request with typed, validated access to its parts. Every malformed part becomes a
 * 400 naming it; a body over {@link #MAX_BODY_BYTES} becomes a 413.
 */
public final class ApiRequest {
    /** Largest accepted request body. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern ID = CloudEventReader.SUBJECT;
    /** The authorizer context key of the verified API key's id. */
    public static final String KEY_ID = "keyId";

    private final APIGatewayProxyRequestEvent event;
    private final String route;
    private final Map<String, String> pathParameters;

    /** @param route the matched route as {@code METHOD /path/{template}} */
    public ApiRequest(APIGatewayProxyRequestEvent event, String route, Map<String, String> pathParameters) {
        this.event = event;
        this.route = route;
        this.pathParameters = Map.copyOf(pathParameters);
    }

    public APIGatewayProxyRequestEvent event() {
        return event;
    }

    /** The caller the authorizer identified; 401 when there is none or its principal is not an id. */
    public Caller caller() {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        Map<String, Object> authorizer = context == null ? null : context.getAuthorizer();
        if (authorizer == null) {
            throw ApiException.unauthorized();
        }
        Object role = authorizer.get(Caller.ROLE_KEY);
        Object id = authorizer.get(Caller.ID_KEY);
        if (role == null || id == null || !ID.matcher(id.toString()).matches()) {
            throw ApiException.unauthorized();
        }
        try {
            return new Caller(Caller.Role.valueOf(role.toString()), id.toString());
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized();
        }
    }

    /** The matched route, as {@code METHOD /path/{template}}. */
    public String route() {
        return route;
    }

    /**
     * The id of the API key the authorizer verified ({@code keyId} in its context), or, where the
     * context does not carry one, the caller's role and id; only for a request with a {@link #caller()}.
     */
    public String keyId() {
        Map<String, Object> authorizer = event.getRequestContext().getAuthorizer();
        Object keyId = authorizer.get(KEY_ID);
        if (keyId != null && ID.matcher(keyId.toString()).matches()) {
            return keyId.toString();
        }
        Caller caller = caller();
        return caller.role() + ":" + caller.id();
    }

    /** The caller as the actor of an audited change: its key id and API Gateway's request id. */
    public AuditActor auditActor() {
        Caller caller = caller();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        Object keyId = context.getAuthorizer().get(KEY_ID);
        return new AuditActor(keyId == null ? null : keyId.toString(), caller.role().name(), caller.id(), context.getRequestId());
    }

    /** A path parameter that must look like an id ({@code [A-Za-z0-9._:-]{1,64}}). */
    public String pathId(String name) {
        String value = pathParameters.get(name);
        if (value == null || !ID.matcher(value).matches()) {
            throw ApiException.badRequest(name + " must match [A-Za-z0-9._:-]{1,64}");
        }
        return value;
    }

    public String path(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw ApiException.badRequest(name + " is missing");
        }
        return value;
    }

    /** A request header, its name matched without regard to case; empty when absent. */
    public Optional<String> header(String name) {
        Map<String, String> headers = event.getHeaders();
        if (headers != null) {
            for (Map.Entry<String, String> header : headers.entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                    return Optional.ofNullable(header.getValue());
                }
            }
        }
        return Optional.empty();
    }

    public Optional<String> query(String name) {
        Map<String, String> query = event.getQueryStringParameters();
        String value = query == null ? null : query.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public Optional<String> queryId(String name) {
        return query(name).map(value -> {
            if (!ID.matcher(value).matches()) {
                throw ApiException.badRequest(name + " must match [A-Za-z0-9._:-]{1,64}");
            }
            return value;
        });
    }

    /** An RFC 3339 time with zone. */
    public Optional<Instant> queryInstant(String name) {
        return query(name).map(value -> {
            try {
                return CloudEventReader.time(value);
            } catch (RuntimeException e) {
                throw ApiException.badRequest(name + " must be an RFC 3339 time with a zone, e.g. 2026-11-22T10:00:00Z");
            }
        });
    }

    /** An ISO-8601 duration such as {@code PT24H} or {@code P7D}, positive and at most {@code max}. */
    public Optional<Duration> queryDuration(String name, Duration max) {
        return query(name).map(value -> {
            Duration duration;
            try {
                duration = Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest(name + " must be an ISO-8601 duration such as PT24H");
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(max) > 0) {
                throw ApiException.badRequest(name + " must be positive and at most " + max);
            }
            return duration;
        });
    }

    public int queryInt(String name, int fallback, int min, int max) {
        return query(name).map(value -> {
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    throw ApiException.badRequest(name + " must be between " + min + " and " + max);
                }
                return parsed;
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(name + " must be an integer between " + min + " and " + max);
            }
        }).orElse(fallback);
    }

    public <T extends Enum<T>> Optional<T> queryEnum(String name, Class<T> type) {
        return query(name).map(value -> {
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(name + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
            }
        });
    }

    /** The page size ({@code limit}, 1..1000, default 100). */
    public int limit() {
        return queryInt("limit", 100, 1, 1000);
    }

    /** The route, caller and query a page token of this request is bound to. */
    public PageScope pageScope() {
        Map<String, String> query = event.getQueryStringParameters();
        return new PageScope(route, caller(), pathParameters, query == null ? Map.of() : query);
    }

    /** The page position of the {@code nextToken}, if any; a 400 unless this route issued it for this caller and query. */
    public Optional<Map<String, String>> nextToken() {
        return query("nextToken").map(token -> PageToken.read(pageScope(), token));
    }

    /** The {@code nextToken} that continues this query at {@code position}; null when there is no next page. */
    public String nextTokenAt(Map<String, String> position) {
        return PageToken.issue(pageScope(), position);
    }

    /** The body as a JSON object. */
    public JsonNode body() {
        String body = event.getBody();
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("a JSON object body is required");
        }
        if (Boolean.TRUE.equals(event.getIsBase64Encoded())) {
            try {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("the body is not valid base64");
            }
        }
        if (body.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
            throw ApiException.tooLarge("the body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = Json.parse(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object");
        }
        return node;
    }

    /** Typed field access to the body; rule violations become 400s through the router. */
    public DataFields bodyFields() {
        return new DataFields(body());
    }
}
