package com.poolhub.metering.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.json.Json;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/** The functions' SLF4J provider: found by SLF4J, one JSON object per line, request context, level from the environment. */
class JsonLoggingTest {
    private static final String SECRET = "phk_live_0123456789abcdef.s3cr3t-part";

    @Test
    void slf4j_findsTheJsonProvider() {
        assertEquals(JsonLoggerFactory.class, LoggerFactory.getILoggerFactory().getClass());
    }

    @Test
    void errorLine_carriesLevelLoggerMessageRequestIdFunctionNameAndStackTrace() throws Exception {
        JsonNode line;
        try (LogCapture capture = LogCapture.start();
             LambdaLogContext ignored = LambdaLogContext.of(context("req-42", "poolhub-quota"))) {
            LoggerFactory.getLogger("com.poolhub.Example").error("failed for {}", "acme",
                    new IllegalStateException("boom"));
            line = single(capture.lines());
        }
        assertEquals("ERROR", line.get("level").asText());
        assertEquals("com.poolhub.Example", line.get("logger").asText());
        assertEquals("failed for acme", line.get("message").asText());
        assertEquals("req-42", line.get("AWSRequestId").asText());
        assertEquals("poolhub-quota", line.get("functionName").asText());
        assertEquals("java.lang.IllegalStateException", line.get("errorType").asText());
        assertEquals("boom", line.get("errorMessage").asText());
        assertTrue(line.get("stackTrace").asText().contains("JsonLoggingTest"), line.toString());
        assertTrue(line.has("timestamp"));
    }

    @Test
    void contextIsClearedAfterTheInvocation() throws Exception {
        try (LambdaLogContext ignored = LambdaLogContext.of(context("req-1", "fn"))) {
            // one invocation
        }
        try (LogCapture capture = LogCapture.start()) {
            LoggerFactory.getLogger("x").warn("between invocations");
            assertFalse(single(capture.lines()).has("AWSRequestId"));
        }
    }

    @Test
    void level_comesFromLambdaThenLogLevelThenInfo() {
        assertEquals(Level.DEBUG, LogLevelSetting.fromEnvironment(Map.of("AWS_LAMBDA_LOG_LEVEL", "debug", "LOG_LEVEL", "ERROR")));
        assertEquals(Level.WARN, LogLevelSetting.fromEnvironment(Map.of("LOG_LEVEL", "WARN")));
        assertEquals(Level.ERROR, LogLevelSetting.fromEnvironment(Map.of("AWS_LAMBDA_LOG_LEVEL", "FATAL")));
        assertEquals(Level.INFO, LogLevelSetting.fromEnvironment(Map.of("LOG_LEVEL", "chatty")));
        assertEquals(Level.INFO, LogLevelSetting.fromEnvironment(Map.of()));
    }

    @Test
    void belowTheThreshold_nothingIsWritten() {
        List<String> lines = new java.util.ArrayList<>();
        var logger = new JsonLoggerFactory(Level.WARN, new JsonLogSink(lines::add)).getLogger("quiet");
        logger.info("not shown");
        logger.debug("not shown");
        logger.warn("shown");
        assertEquals(1, lines.size());
        assertFalse(logger.isInfoEnabled());
    }

    @Test
    void apiInternalError_neitherLogsNorAnswersTheCallersKey() throws Exception {
        ApiRouter router = new ApiRouter().get("/boom", request -> {
            throw new IllegalStateException("downstream failed");
        });
        APIGatewayProxyRequestEvent request = new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/boom")
                .withHeaders(Map.of("Authorization", "Bearer " + SECRET, "x-api-key", SECRET));
        APIGatewayProxyResponseEvent response;
        List<String> lines;
        try (LogCapture capture = LogCapture.start()) {
            response = router.handle(request);
            lines = capture.lines();
        }
        assertEquals(500, response.getStatusCode());
        assertFalse(response.getBody().contains(SECRET), response.getBody());
        assertFalse(lines.isEmpty(), "the 500's cause is logged");
        assertTrue(lines.get(0).contains("downstream failed"), lines.get(0));
        lines.forEach(line -> assertFalse(line.contains("s3cr3t"), line));
    }

    private static JsonNode single(List<String> lines) throws Exception {
        assertEquals(1, lines.size(), lines.toString());
        assertFalse(lines.get(0).contains("\n"), "one line per event");
        return Json.parse(lines.get(0));
    }

    static Context context(String requestId, String functionName) {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId" -> requestId;
                    case "getFunctionName" -> functionName;
                    default -> null;
                });
    }
}
