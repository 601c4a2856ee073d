package com.poolhub.metering.localrun;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API Gateway (REST) for the template's {@code Api} events, in process: matches the method and path
 * template, runs the API's Lambda TOKEN authorizer first as API Gateway does (no header or a refused
 * key: 401; a policy without Allow: 403; a policy cached per token for the authorizer's
 * {@code ReauthorizeEvery}), puts the authorizer's context into
 * {@code requestContext.authorizer}, and invokes the route's function with the proxy event.
 */
public final class LocalApiGateway {
    /** One wired route. */
    public record Route(String method, String path, String function, boolean authorized) {
        String[] segments() {
            return split(path);
        }
    }

    private final List<Route> routes = new ArrayList<>();
    private final Map<String, HostedFunction> functions;
    private final String authorizerFunction;
    /** API Gateway's default when the template does not say. */
    private static final long DEFAULT_REAUTHORIZE_SECONDS = 300;
    private Duration cacheFor = Duration.ofSeconds(DEFAULT_REAUTHORIZE_SECONDS);
    private final Map<String, CachedPolicy> policies = new ConcurrentHashMap<>();
    private final Map<String, String> gatewayBodies = new HashMap<>();

    public LocalApiGateway(SamTemplate template, Map<String, HostedFunction> functions) {
        this.functions = functions;
        String authorizer = null;
        for (Map.Entry<String, Object> resource : template.resources().entrySet()) {
            if ("AWS::Serverless::Api".equals(template.typeOf(resource.getKey()))) {
                Map<String, Object> properties = template.properties(resource.getKey());
                Map<String, Object> auth = SamTemplate.map(properties.get("Auth"));
                Object name = auth.get("DefaultAuthorizer");
                Map<String, Object> definition = SamTemplate.map(SamTemplate.map(auth.get("Authorizers")).get(String.valueOf(name)));
                Object arn = definition.get("FunctionArn");
                Object reauthorize = SamTemplate.map(definition.get("Identity")).get("ReauthorizeEvery");
                cacheFor = Duration.ofSeconds(reauthorize == null ? DEFAULT_REAUTHORIZE_SECONDS : Long.parseLong(reauthorize.toString()));
                if (arn instanceof Intrinsic intrinsic) {
                    authorizer = intrinsic.target();
                }
                SamTemplate.map(properties.get("GatewayResponses")).forEach((type, response) -> gatewayBodies.put(type,
                        String.valueOf(SamTemplate.map(SamTemplate.map(response).get("ResponseTemplates")).get("application/json"))));
            }
        }
        this.authorizerFunction = authorizer;
        for (SamTemplate.SamFunction function : template.functions()) {
            for (SamTemplate.SamEvent event : function.events("Api")) {
                Map<String, Object> auth = SamTemplate.map(event.property("Auth"));
                boolean open = "NONE".equals(auth.get("Authorizer"));
                routes.add(new Route(String.valueOf(event.property("Method")).toUpperCase(java.util.Locale.ROOT),
                        String.valueOf(event.property("Path")), function.logicalId(), authorizer != null && !open));
            }
        }
        // as API Gateway does, a literal segment wins over a path parameter
        routes.sort(java.util.Comparator.comparingLong(r -> java.util.Arrays.stream(r.segments()).filter(s -> s.startsWith("{")).count()));
    }

    public List<Route> routes() {
        return routes;
    }

    /** Handles one HTTP request. */
    public APIGatewayProxyResponseEvent handle(String method, String path, Map<String, String> query,
                                              Map<String, String> headers, String body) {
        Map<String, String> pathParameters = new LinkedHashMap<>();
        Optional<Route> route = match(method, path, pathParameters);
        if (route.isEmpty()) {
            return ApiRouter.error(404, "NOT_FOUND", "no route for " + method + " " + path, Map.of());
        }
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers == null ? Map.of() : headers);
        Map<String, Object> authorizerContext = null;
        if (route.get().authorized()) {
            String token = caseless.get("Authorization");
            if (token == null || token.isBlank()) {
                return gatewayError(401, "UNAUTHORIZED");
            }
            Optional<Map<String, Object>> context = authorize(token, method, path);
            if (context == null) {
                return gatewayError(401, "UNAUTHORIZED");
            }
            if (context.isEmpty()) {
                return gatewayError(403, "ACCESS_DENIED");
            }
            authorizerContext = context.get();
        }
        HostedFunction target = functions.get(route.get().function());
        if (target == null) {
            return ApiRouter.error(502, "NOT_DEPLOYED", route.get().function() + " is not built in this run", Map.of());
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext requestContext = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withStage(LocalValues.STAGE).withRequestId(UUID.randomUUID().toString()).withHttpMethod(method)
                .withResourcePath(route.get().path()).withPath(path);
        requestContext.setAuthorizer(authorizerContext);
        APIGatewayProxyRequestEvent event = new APIGatewayProxyRequestEvent()
                .withHttpMethod(method).withPath(path).withResource(route.get().path())
                .withHeaders(headers == null ? Map.of() : headers)
                .withQueryStringParameters(query == null || query.isEmpty() ? null : query)
                .withPathParameters(pathParameters.isEmpty() ? null : pathParameters)
                .withBody(body).withIsBase64Encoded(false).withRequestContext(requestContext);
        try {
            return target.invoke(event, APIGatewayProxyResponseEvent.class);
        } catch (RuntimeException e) {
            return gatewayError(502, "DEFAULT_5XX");
        }
    }

    /**
     * The authorizer's answer for a token, cached for the authorizer's {@code ReauthorizeEvery} seconds as
     * API Gateway caches it (a refused key is not cached: it is asked again next time).
     */
    private Optional<Map<String, Object>> authorize(String token, String method, String path) {
        long now = System.nanoTime();
        CachedPolicy cached = policies.get(token);
        if (cached != null && now - cached.at() < cacheFor.toNanos()) {
            return cached.context();
        }
        Optional<Map<String, Object>> answer = askAuthorizer(token, method, path);
        if (answer != null && !cacheFor.isZero()) {
            policies.put(token, new CachedPolicy(answer, now));
        }
        return answer;
    }

    private record CachedPolicy(Optional<Map<String, Object>> context, long at) {
    }

    /** The authorizer's context; empty when its policy does not allow; null when it refused the key. */
    private Optional<Map<String, Object>> askAuthorizer(String token, String method, String path) {
        HostedFunction authorizer = functions.get(authorizerFunction);
        if (authorizer == null) {
            return null;
        }
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("TOKEN");
        event.setAuthorizationToken(token);
        event.setMethodArn("arn:aws:execute-api:us-east-1:000000000000:local/" + LocalValues.STAGE + "/" + method + path);
        JsonNode policy;
        try {
            policy = Json.mapper().readTree(authorizer.invokeJson(HostedFunction.toJson(event)));
        } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
        boolean allowed = false;
        for (JsonNode statement : policy.path("policyDocument").path("Statement")) {
            allowed |= "Allow".equals(statement.path("Effect").asText());
        }
        if (!allowed) {
            return Optional.empty();
        }
        Map<String, Object> context = new LinkedHashMap<>();
        policy.path("context").fields().forEachRemaining(f -> context.put(f.getKey(), f.getValue().asText()));
        context.put("principalId", policy.path("principalId").asText());
        return Optional.of(context);
    }

    private APIGatewayProxyResponseEvent gatewayError(int status, String type) {
        String body = gatewayBodies.getOrDefault(type, "{\"message\": \"" + type + "\"}");
        return new APIGatewayProxyResponseEvent().withStatusCode(status)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body);
    }

    private Optional<Route> match(String method, String path, Map<String, String> parameters) {
        String[] requested = split(path);
        for (Route route : routes) {
            String[] template = route.segments();
            if (!route.method().equalsIgnoreCase(method) || template.length != requested.length) {
                continue;
            }
            Map<String, String> found = new LinkedHashMap<>();
            boolean matches = true;
            for (int i = 0; i < template.length && matches; i++) {
                if (template[i].startsWith("{") && template[i].endsWith("}")) {
                    found.put(template[i].substring(1, template[i].length() - 1), requested[i]);
                } else {
                    matches = template[i].equals(requested[i]);
                }
            }
            if (matches) {
                parameters.putAll(found);
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    static String[] split(String path) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }
}
