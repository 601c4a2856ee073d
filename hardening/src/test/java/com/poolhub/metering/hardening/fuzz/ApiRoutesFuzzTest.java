package com.poolhub.metering.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.hardening.fuzz.ApiTargets.ApiTarget;
import com.poolhub.metering.hardening.support.LocalStack;
import com.poolhub.metering.json.Json;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bad input at every API route on main: each function's sample requests (the seeds) are sent as they
 * are, then mutated thousands of times (bodies, path parameters, query strings, callers, methods,
 * paths, encodings, ranges at the price book's and the limits' edges, and page tokens crafted or
 * issued for another route, range or caller: {@link PagingInputs}), at least 10,000 requests in all.
 * Every answer must be a contract answer: no exception, never a 5xx, JSON, and an error body with a
 * code and a message on every refusal. Seeded: the same cases every run.
 */
class ApiRoutesFuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", 20261122L);
    private static final int CASES_PER_SEED = Integer.getInteger("fuzz.api.casesPerSeed", 540);
    /** Fewest cases one run sends over all API functions. */
    private static final int MIN_CASES = Integer.getInteger("fuzz.api.minCases", 10_000);
    private static final AtomicInteger SENT = new AtomicInteger();
    private static final Path EVENTS = Path.of("..", "events");
    private static final Set<Integer> CONTRACT_STATUSES = Set.of(200, 201, 202, 204, 400, 401, 403, 404, 405, 409,
            413, 429);
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");
    private static final List<String> QUERY_KEYS = List.of("from", "to", "granularity", "limit", "nextToken",
            "window", "days", "hours", "tenant", "since", "minerId", "metric");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
            "get", "", "TRACE");
    private static final List<String> ROLES = List.of("ADMIN", "TENANT", "MINER", "admin", "", "ROOT", "TENANT ");

    @TestFactory
    Stream<DynamicTest> everyApiFunction_answersBadInputWithContractErrors() {
        return ApiTargets.ALL.stream().map(target -> DynamicTest.dynamicTest(target.name(), () -> fuzz(target)));
    }

    private void fuzz(ApiTarget target) throws IOException {
        List<Path> seeds = seeds(target.samplePrefix());
        assertFalse(seeds.isEmpty(), "no sample API events for " + target.name());
        LocalStack local = LocalStack.fresh();
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler = target.handler().apply(local);
        BadInputs inputs = new BadInputs(SEED ^ target.name().hashCode());
        PagingInputs paging = new PagingInputs(inputs);
        List<String> failures = new ArrayList<>();
        int cases = 0;
        for (Path seed : seeds) {
            String asSent = judge(handler, load(seed));
            assertEquals(null, asSent, seed.getFileName() + " as sent");
            for (int i = 0; i < CASES_PER_SEED; i++) {
                APIGatewayProxyRequestEvent request = load(seed);
                String change = mutate(request, inputs, paging);
                cases++;
                String problem = judge(handler, request);
                if (problem != null && failures.size() < 25) {
                    failures.add(seed.getFileName() + " case " + i + " [" + change + "]: " + problem);
                }
            }
        }
        System.out.printf("api fuzz %s: %d cases from %d sample requests, %d failures%n", target.name(), cases,
                seeds.size(), failures.size());
        assertEquals(List.of(), failures);
        SENT.addAndGet(cases);
    }

    @AfterAll
    static void enoughCasesWereSent() {
        if (SENT.get() > 0) {
            assertTrue(SENT.get() >= MIN_CASES, SENT.get() + " cases sent, fewer than " + MIN_CASES);
        }
    }

    private static List<Path> seeds(String prefix) throws IOException {
        try (Stream<Path> files = Files.list(EVENTS)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix))
                    .filter(p -> p.getFileName().toString().endsWith(".json"))
                    .filter(ApiRoutesFuzzTest::isApiEvent)
                    .sorted().toList();
        }
    }

    private static boolean isApiEvent(Path file) {
        try {
            return Json.parse(Files.readString(file)).has("httpMethod");
        } catch (IOException e) {
            return false;
        }
    }

    private static APIGatewayProxyRequestEvent load(Path seed) {
        return EventLoader.loadApiGatewayRestEvent(seed.toString());
    }

    /**
     * Applies one to three random changes, or sends the request with range parameters at their edges,
     * a page token it was not issued, or both; returns what was changed, for the failure message.
     */
    private static String mutate(APIGatewayProxyRequestEvent request, BadInputs inputs, PagingInputs paging) {
        int plan = inputs.nextInt(20);
        if (plan >= 8) {
            StringBuilder changes = new StringBuilder();
            if (plan < 12 || plan >= 17) {
                paging.range(request);
                changes.append("range ");
            }
            if (plan >= 12) {
                changes.append("token ").append(paging.token(request));
            }
            return changes.toString().trim() + " " + request.getQueryStringParameters();
        }
        StringBuilder changes = new StringBuilder();
        for (int n = 1 + inputs.nextInt(3); n > 0; n--) {
            int kind = inputs.nextInt(10);
            changes.append(kind).append(' ');
            switch (kind) {
                case 0, 1, 2 -> request.setBody(mutatedBody(request.getBody(), inputs));
                case 3 -> request.setBody(inputs.nextInt(4) == 0 ? inputs.hugeBody() : inputs.deepText(3000));
                case 4 -> mutatePathParameter(request, inputs);
                case 5 -> {
                    Map<String, String> query = request.getQueryStringParameters() == null ? new HashMap<>()
                            : new HashMap<>(request.getQueryStringParameters());
                    query.put(inputs.nextInt(5) == 0 ? inputs.string() : inputs.pick(QUERY_KEYS), inputs.string());
                    request.setQueryStringParameters(query);
                }
                case 6 -> mutateCaller(request, inputs);
                case 7 -> request.setHttpMethod(inputs.nextInt(4) == 0 ? inputs.string() : inputs.pick(METHODS));
                case 8 -> request.setPath(inputs.nextInt(2) == 0 ? request.getPath() + "/" + encode(inputs.string())
                        : "/" + encode(inputs.string()) + request.getPath());
                default -> {
                    request.setIsBase64Encoded(true);
                    request.setBody(inputs.nextBoolean() ? Base64.getEncoder().encodeToString(inputs.randomBytes(64))
                            : inputs.string());
                    if (inputs.nextInt(3) == 0) {
                        request.setHeaders(null);
                    }
                }
            }
        }
        return changes.toString().trim();
    }

    private static String mutatedBody(String body, BadInputs inputs) {
        if (body == null || body.isBlank()) {
            return inputs.nextBoolean() ? inputs.value().toString() : inputs.string();
        }
        try {
            return inputs.mutate(Json.parse(body));
        } catch (IOException e) {
            return inputs.string();
        }
    }

    private static void mutatePathParameter(APIGatewayProxyRequestEvent request, BadInputs inputs) {
        String template = request.getResource() == null ? request.getPath() : request.getResource();
        String[] templateParts = template.split("/");
        String[] pathParts = request.getPath().split("/");
        List<Integer> parameters = new ArrayList<>();
        for (int i = 0; i < templateParts.length && i < pathParts.length; i++) {
            if (templateParts[i].startsWith("{")) {
                parameters.add(i);
            }
        }
        String value = inputs.string();
        if (parameters.isEmpty()) {
            request.setPath(request.getPath() + "/" + encode(value));
            return;
        }
        int at = inputs.pick(parameters);
        pathParts[at] = inputs.nextBoolean() ? encode(value) : value.replace("/", "");
        request.setPath(String.join("/", pathParts));
        Map<String, String> pathParameters = new HashMap<>();
        String name = templateParts[at].substring(1, templateParts[at].length() - 1);
        pathParameters.put(name, value);
        request.setPathParameters(pathParameters);
    }

    private static void mutateCaller(APIGatewayProxyRequestEvent request, BadInputs inputs) {
        if (request.getRequestContext() == null) {
            return;
        }
        switch (inputs.nextInt(4)) {
            case 0 -> request.getRequestContext().setAuthorizer(null);
            case 1 -> request.getRequestContext().setAuthorizer(new HashMap<>());
            default -> {
                Map<String, Object> authorizer = new HashMap<>();
                authorizer.put("role", inputs.nextInt(3) == 0 ? inputs.string() : inputs.pick(ROLES));
                authorizer.put("principal", inputs.nextBoolean() ? inputs.string()
                        : inputs.pick(List.of("acme", "globex", "ops-admin", "miner-1")));
                request.getRequestContext().setAuthorizer(authorizer);
            }
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Null when the answer keeps the contract, else what is wrong with it. */
    private static String judge(RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler,
                                APIGatewayProxyRequestEvent request) {
        APIGatewayProxyResponseEvent response;
        try {
            response = handler.handleRequest(request, null);
        } catch (Throwable e) {
            return "threw " + e;
        }
        if (response == null || response.getStatusCode() == null) {
            return "no response";
        }
        int status = response.getStatusCode();
        if (!CONTRACT_STATUSES.contains(status)) {
            return "status " + status + " " + abbreviate(response.getBody());
        }
        JsonNode body;
        try {
            body = Json.parse(response.getBody());
        } catch (IOException | RuntimeException e) {
            return "body is not JSON: " + abbreviate(response.getBody());
        }
        if (body == null) {
            return "empty body";
        }
        if (status >= 400) {
            String code = body.path("error").path("code").asText("");
            String message = body.path("error").path("message").asText("");
            if (!CODE.matcher(code).matches() || message.isBlank()) {
                return "refusal without code and message: " + abbreviate(response.getBody());
            }
            if (message.contains("Exception") || message.contains("\tat ") || message.contains("java.")) {
                return "internals in the message: " + abbreviate(message);
            }
            if (status == 429 && (response.getHeaders() == null || !response.getHeaders().containsKey("Retry-After"))) {
                return "429 without Retry-After";
            }
        }
        if (request.getHttpMethod() != null && request.getPath() != null) {
            List<String> problems = ConformingApi.validator().problems(request.getHttpMethod(), request.getPath(), status,
                    response.getHeaders(), response.getBody());
            if (!problems.isEmpty()) {
                return "not as openapi.yaml describes: " + abbreviate(String.join("; ", problems));
            }
        }
        return null;
    }

    private static String abbreviate(String text) {
        return text == null ? "null" : text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
