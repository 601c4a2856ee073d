package com.poolhub.metering.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.event.InvalidEventException;
import com.poolhub.metering.json.Json;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes API Gateway proxy requests by method and path template ({@code /sla/metrics/{minerId}}) to
 * handlers, and turns every outcome into a JSON response: a handler's value with 200 (or the status
 * it chose), an {@link ApiException} or a validation failure with the contract's error body, a change
 * whose audit record could not be written with a 503 (the change was not made), and any
 * other failure with a 500 that says nothing of the internals (the cause is logged, not returned).
 */
public final class ApiRouter {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRouter.class);

    /** A route's logic. */
    @FunctionalInterface
    public interface Route {
        ApiResponse handle(ApiRequest request);
    }

    private record Entry(String method, String[] segments, Route route) {
        String template() {
            return method + " /" + String.join("/", segments);
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private KeyRateGuard guard;

    /** Every route from now on admits a request only within its API key's rate ({@link KeyRateGuard}). */
    public ApiRouter limitedBy(KeyRateGuard keyRates) {
        this.guard = keyRates;
        return this;
    }

    public ApiRouter get(String template, Route route) {
        return add("GET", template, route);
    }

    public ApiRouter post(String template, Route route) {
        return add("POST", template, route);
    }

    public ApiRouter put(String template, Route route) {
        return add("PUT", template, route);
    }

    public ApiRouter add(String method, String template, Route route) {
        entries.add(new Entry(method, split(template), route));
        return this;
    }

    /** The templates served, as {@code METHOD /path}. */
    public List<String> routes() {
        return entries.stream().map(Entry::template).toList();
    }

    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event) {
        try {
            if (event == null || event.getHttpMethod() == null || event.getPath() == null) {
                throw ApiException.badRequest("not an API Gateway request");
            }
            String[] path = split(event.getPath());
            boolean pathKnown = false;
            for (Entry entry : entries) {
                Map<String, String> parameters = match(entry.segments, path);
                if (parameters == null) {
                    continue;
                }
                pathKnown = true;
                if (entry.method.equalsIgnoreCase(event.getHttpMethod())) {
                    ApiRequest request = new ApiRequest(event, entry.template(), parameters);
                    if (guard != null) {
                        guard.admit(request);
                    }
                    return entry.route.handle(request).toEvent();
                }
            }
            if (pathKnown) {
                throw new ApiException(405, "METHOD_NOT_ALLOWED", event.getHttpMethod() + " is not allowed on this path");
            }
            throw ApiException.notFound("no route for " + event.getHttpMethod() + " " + event.getPath());
        } catch (ApiException e) {
            return error(e.status(), e.code(), e.getMessage(), e.headers());
        } catch (InvalidEventException e) {
            return error(400, "VALIDATION", e.rejection().message(), Map.of());
        } catch (AuditUnavailableException e) {
            LOG.error("audit record not written, change refused: {} {}", event.getHttpMethod(), event.getPath(), e);
            return error(503, "UNAVAILABLE", "the change could not be recorded in the audit trail, so it was not made; "
                    + "try again later", Map.of("Retry-After", "1"));
        } catch (PagePosition.OutsideQuery e) {
            return error(400, "VALIDATION", "nextToken does not lie inside this query; repeat the query without it", Map.of());
        } catch (RuntimeException e) {
            LOG.error("request failed: {} {}", event == null ? "?" : event.getHttpMethod(),
                    event == null ? "?" : event.getPath(), e);
            return error(500, "INTERNAL", "the request could not be completed; try again later", Map.of());
        }
    }

    /** The contract's error response. */
    public static APIGatewayProxyResponseEvent error(int status, String code, String message, Map<String, String> headers) {
        var body = Json.object();
        body.putObject("error").put("code", code).put("message", message);
        Map<String, String> all = new LinkedHashMap<>(ApiResponse.JSON_HEADERS);
        all.putAll(headers);
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(all).withBody(body.toString());
    }

    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> parameters = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                parameters.put(t.substring(1, t.length() - 1), decode(path[i]));
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return parameters;
    }

    /** A percent-encoded path segment; a broken escape is the caller's error (400), not ours. */
    private static String decode(String segment) {
        try {
            return URLDecoder.decode(segment, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the path holds a malformed percent-escape");
        }
    }

    private static String[] split(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }
}
