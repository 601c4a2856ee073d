package com.poolhub.metering.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.poolhub.metering.localrun.HandlerTypes;
import com.poolhub.metering.localrun.HostedFunction;
import com.poolhub.metering.localrun.LocalApiGateway;
import com.poolhub.metering.localrun.LocalSystem;
import com.poolhub.metering.localrun.SamTemplate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the emulators (moto for DynamoDB, local EventBridge): every sample event in {@code events/}
 * loads with aws-lambda-java-tests into its function's input type and the function built from the
 * template handles it; every route of the template is served by its function's router.
 */
class SampleEventsAndRoutesTest {
    private static final Path ROOT = TemplateConformanceTest.ROOT;
    private static LocalSystem system;
    private static TemplateConformance conformance;

    @BeforeAll
    static void start() {
        system = LocalSystem.start(ROOT.resolve("template.yaml"));
        conformance = TemplateConformance.check(system.template(), ROOT);
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void everySampleEvent_isHandledByItsFunction() throws Exception {
        List<String> failures = new ArrayList<>();
        int handled = 0;
        for (Path file : conformance.sampleEvents()) {
            String name = file.getFileName().toString();
            SamTemplate.SamFunction owner = conformance.ownerOf(file);
            HostedFunction function = owner == null ? null : system.function(owner.logicalId()).orElse(null);
            if (function == null) {
                continue;
            }
            String outcome = handle(function, name, Files.readString(file));
            handled++;
            if (outcome != null) {
                failures.add(name + " -> " + owner.logicalId() + ": " + outcome);
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(handled >= 20, "only " + handled + " sample events were handled");
    }

    /** Null when the function handled the event as a deployed one would; else what went wrong. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String handle(HostedFunction function, String file, String json) throws Exception {
        Object handler = function.handler();
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(json.getBytes()), out, null);
            String answer = out.toString();
            return answer.isEmpty() || answer.contains("no route for") || answer.matches("(?s).*\"statusCode\"\\s*:\\s*5\\d\\d.*")
                    ? "answered " + answer : null;
        }
        Class<?> type = HandlerTypes.inputType(handler.getClass()).orElseThrow();
        Object event = Map.class.isAssignableFrom(type) ? EventLoader.loadEvent(file, Map.class) : EventLoader.loadEvent(file, type);
        Object answer;
        try {
            answer = ((RequestHandler) handler).handleRequest(event, null);
        } catch (SecurityException e) {
            // the authorizer's refusal, which API Gateway answers with 401
            return "Unauthorized".equals(e.getMessage()) ? null : "threw " + e;
        } catch (RuntimeException e) {
            return "threw " + e;
        }
        if (answer instanceof APIGatewayProxyResponseEvent response) {
            boolean unrouted = response.getStatusCode() == 404 && response.getBody().contains("no route for");
            return response.getStatusCode() < 500 && !unrouted ? null : "answered " + response.getStatusCode() + " " + response.getBody();
        }
        if (answer instanceof StreamsEventResponse response && event instanceof KinesisEvent) {
            return response.getBatchItemFailures().isEmpty() ? null : "batch item failures " + response.getBatchItemFailures();
        }
        return answer == null && !type.getSimpleName().equals("Void") ? "answered nothing" : null;
    }

    @Test
    void everyRouteOfTheTemplate_isServedByItsFunctionsRouter() {
        String admin = system.issueKey("ADMIN", "conformance");
        List<String> unserved = new ArrayList<>();
        int checked = 0;
        for (LocalApiGateway.Route route : system.api().routes()) {
            if (!system.running(route.function())) {
                continue;
            }
            String path = route.path().replace("{tenant}", "acme").replace("{minerId}", "gpu-node-01").replace("{month}", "2026-11");
            String body = route.method().equals("GET") ? null : "{}";
            APIGatewayProxyResponseEvent response = system.api().handle(route.method(), path, Map.of(),
                    Map.of("Authorization", "Bearer " + admin), body);
            checked++;
            boolean unrouted = response.getStatusCode() == 405 || response.getStatusCode() >= 500
                    || response.getStatusCode() == 404 && response.getBody().contains("no route for");
            if (unrouted) {
                unserved.add(route.method() + " " + route.path() + " -> " + route.function() + ": " + response.getStatusCode()
                        + " " + response.getBody());
            }
        }
        assertEquals(List.of(), unserved);
        assertTrue(checked >= 14, "only " + checked + " routes checked");
    }

    @Test
    void aCollectionRequest_reachesTheCollectorThroughTheTemplatesRule_andEndsSucceeded() throws Exception {
        String admin = system.issueKey("ADMIN", "conformance");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + admin);
        APIGatewayProxyResponseEvent accepted = system.api().handle("POST", "/sla/metrics/collect", Map.of(), auth, "{}");
        assertEquals(202, accepted.getStatusCode(), accepted.getBody());
        String location = accepted.getHeaders().get("Location");
        assertTrue(system.rules().rules().stream().anyMatch(r -> r.function().equals("SlaCollectorFunction")));

        String status = "REQUESTED";
        String body = "";
        for (long deadline = System.nanoTime() + 60_000_000_000L; System.nanoTime() < deadline
                && !status.equals("SUCCEEDED") && !status.equals("FAILED"); Thread.sleep(200)) {
            APIGatewayProxyResponseEvent read = system.api().handle("GET", location, Map.of(), auth, null);
            assertEquals(200, read.getStatusCode(), read.getBody());
            body = read.getBody();
            status = com.poolhub.metering.json.Json.parse(body).get("status").asText();
        }
        assertEquals("SUCCEEDED", status, body);
    }

    @Test
    void routesWithoutAKey_areRefusedBeforeTheFunction_butTheConsolesFiles() {
        List<String> open = new ArrayList<>();
        for (LocalApiGateway.Route route : system.api().routes()) {
            APIGatewayProxyResponseEvent response = system.api().handle(route.method(), route.path(), Map.of(), Map.of(), null);
            if (!route.authorized()) {
                open.add(route.method() + " " + route.path() + " -> " + route.function());
                continue;
            }
            assertEquals(401, response.getStatusCode(), route.toString());
            assertFalse(response.getBody().contains("Exception"));
        }
        // the console's page and files hold no data; everything they show comes from routes that need a key
        assertEquals(List.of("GET /console -> ConsoleFunction", "GET /console/{asset} -> ConsoleFunction"), open);
    }
}
