package com.poolhub.metering.hardening.fuzz;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.api.PageScope;
import com.poolhub.metering.api.PageToken;
import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Page tokens and ranges no route issued or expects: crafted positions, tokens issued by another
 * route, for another range or another caller, tokens of the request's own query holding a position
 * outside it, and ranges at the price book's start, the range limits and the key grain.
 */
final class PagingInputs {
    private static final List<String> PAGED_ROUTES = List.of("GET /usage/{tenant}", "GET /sla/billing/usage",
            "GET /sla/metrics", "GET /sla/violations", "GET /sla/capacity/snapshots");
    private static final List<String> EDGES = List.of("2019-01-01T00:00:00Z", "2019-12-31T23:59:59Z",
            "2019-12-31T23:59:59.999Z", "2020-01-01T00:00:00Z", "2020-01-01T00:00:00.001Z", "2020-01-15T00:00:00Z",
            "2020-02-01T00:00:00Z", "2025-10-17T00:00:00Z", "2025-10-31T00:00:00Z", "2026-10-18T12:00:00Z",
            "2026-11-21T12:00:00Z", "2026-11-22T11:59:59.5Z", "2026-11-22T12:00:00Z", "2026-11-22T12:00:00.5Z",
            "2026-11-22T12:00:01Z", "2026-11-23T00:00:00Z", "2026-11-22T12:00:00+14:00", "2026-11-22T12:00:00-12:00",
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z");
    private static final List<String> RANGE_KEYS = List.of("from", "to", "since");
    private static final List<String> GRANULARITIES = List.of("MINUTE", "HOUR", "DAY", "MONTH");
    private static final Map<String, List<String>> POSITIONS = Map.of(
            "sk", List.of("zzzz", "0000", "2019-12-31T23:59:59Z", "2026-11-22T12:00:00Z", "2026-11-21T13:00:00Z",
                    "2026-11-21T12:00:00Z#UPTIME#gpu-miner-7", "gpu-miner-7", "acme#gpu_hours#0001", "é".repeat(600),
                    "x".repeat(1024)),
            "after", List.of("2026-11-01T00:00:00Z#GPU#compute_seconds", "2019-12-01T00:00:00Z#GPU#compute_seconds",
                    "2026-13-45T00:00:00Z#GPU#compute_seconds", "2026-11-01T00:30:00Z#GPU#compute_seconds",
                    "2026-12-01T00:00:00Z#GPU#compute_seconds", "zzzz"),
            "miner", List.of("gpu-miner-7", "zzzz", "~"),
            "collection", List.of("2026-11-22T12:00:00Z", "2019-12-31T23:59:59Z", "yesterday"),
            "from", List.of("2026-11-22T10:00:00Z", "2019-12-31T23:59:59Z", "2026-01-01T00:00:00Z", "then"),
            "to", List.of("2026-11-22T12:00:00Z", "2026-11-22T09:00:00Z", "9999-12-31T23:59:59Z"),
            "pk", List.of("SYNC#2026-11-22T10:00:00Z", "SYNC#2019-12-31T23:00:00Z", "acme#HOUR"),
            "tenantKey", List.of("SYNC#acme", "SYNC#globex", "SYNC#beta"),
            "tenantSort", List.of("2026-11-22T10:00:00Z#gpu_hours#0001", "2026-11-21T00:00:00Z#gpu_hours#0001",
                    "2026-11-22T10:00:00Z#gpu_hours", "2026-11-22T10:00:00Z#a#b#c"));
    private static final List<String> POSITION_KEYS = List.copyOf(POSITIONS.keySet());
    private static final List<Caller> CALLERS = List.of(new Caller(Caller.Role.ADMIN, "ops"),
            new Caller(Caller.Role.ADMIN, "other-admin"), new Caller(Caller.Role.TENANT, "acme"),
            new Caller(Caller.Role.TENANT, "globex"), new Caller(Caller.Role.MINER, "gpu-miner-7"));

    private final BadInputs inputs;

    PagingInputs(BadInputs inputs) {
        this.inputs = inputs;
    }

    /** Sets one to three range parameters (and sometimes the granularity) to edge values. */
    void range(APIGatewayProxyRequestEvent request) {
        Map<String, String> query = query(request);
        for (int n = 1 + inputs.nextInt(3); n > 0; n--) {
            query.put(inputs.pick(RANGE_KEYS), inputs.pick(EDGES));
        }
        if (inputs.nextInt(3) == 0) {
            query.put("granularity", inputs.pick(GRANULARITIES));
        }
        request.setQueryStringParameters(query);
    }

    /** Sets {@code nextToken} to a token of one of six kinds; returns the kind. */
    int token(APIGatewayProxyRequestEvent request) {
        Map<String, String> query = query(request);
        Caller own = caller(request).orElse(inputs.pick(CALLERS));
        String ownRoute = request.getHttpMethod() + " " + (request.getResource() == null ? request.getPath() : request.getResource());
        Map<String, String> path = request.getPathParameters() == null ? Map.of() : request.getPathParameters();
        int kind = inputs.nextInt(6);
        String token = switch (kind) {
            case 0 -> base64(Json.write(position()));
            case 1 -> PageToken.issue(new PageScope(inputs.pick(PAGED_ROUTES), own, path, query), position());
            case 2 -> {
                Map<String, String> otherRange = new HashMap<>(query);
                otherRange.put(inputs.pick(RANGE_KEYS), inputs.pick(EDGES));
                yield PageToken.issue(new PageScope(ownRoute, own, path, otherRange), position());
            }
            case 3 -> PageToken.issue(new PageScope(ownRoute, inputs.pick(CALLERS), path, query), position());
            case 4 -> PageToken.issue(new PageScope(ownRoute, own, path, query), position());
            default -> inputs.nextBoolean() ? inputs.string()
                    : base64(inputs.nextBoolean() ? inputs.value().toString() : new String(inputs.randomBytes(40), StandardCharsets.ISO_8859_1));
        };
        query.put("nextToken", token);
        request.setQueryStringParameters(query);
        return kind;
    }

    private Map<String, String> position() {
        Map<String, String> position = new LinkedHashMap<>();
        for (int n = 1 + inputs.nextInt(4); n > 0; n--) {
            String key = inputs.pick(POSITION_KEYS);
            position.put(key, inputs.nextInt(8) == 0 ? inputs.string() : inputs.pick(POSITIONS.get(key)));
        }
        return position;
    }

    private static Map<String, String> query(APIGatewayProxyRequestEvent request) {
        return request.getQueryStringParameters() == null ? new HashMap<>() : new HashMap<>(request.getQueryStringParameters());
    }

    private static Optional<Caller> caller(APIGatewayProxyRequestEvent request) {
        if (request.getRequestContext() == null || request.getRequestContext().getAuthorizer() == null) {
            return Optional.empty();
        }
        Object role = request.getRequestContext().getAuthorizer().get(Caller.ROLE_KEY);
        Object id = request.getRequestContext().getAuthorizer().get(Caller.ID_KEY);
        try {
            return role == null || id == null ? Optional.empty()
                    : Optional.of(new Caller(Caller.Role.valueOf(role.toString()), id.toString()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
