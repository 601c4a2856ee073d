package com.poolhub.metering.apispec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packaged {@code openapi.yaml} is a valid OpenAPI 3.1 description in the contract's style. */
class OpenApiDocumentTest {
    private static final OpenApiDocument DOCUMENT = OpenApiDocument.load();

    @Test
    void parsesAsOpenApi31_withNoMessages() throws IOException {
        String text;
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(text, null, options);
        assertEquals(List.of(), result.getMessages());
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertEquals(DOCUMENT.operations().size(), result.getOpenAPI().getPaths().values().stream()
                .mapToInt(item -> item.readOperations().size()).sum());
    }

    @Test
    void everyOperation_hasASuccessSchema_theErrorBody_andTheBearerScheme() {
        List<String> missing = new ArrayList<>();
        List<String> open = new ArrayList<>();
        for (OpenApiDocument.Operation operation : DOCUMENT.operations()) {
            JsonNode responses = operation.node().path("responses");
            if (operation.node().path("security").isArray() && operation.node().path("security").isEmpty()) {
                // the console's page and files: no key, no data, HTML/JS/CSS with the console's policy
                open.add(operation.route());
                if (DOCUMENT.resolve(responses.path("200")).path("headers").path("Content-Security-Policy").isMissingNode()) {
                    missing.add(operation.route() + ": an open route without the Content-Security-Policy header");
                }
                continue;
            }
            boolean success = false;
            for (String status : List.of("200", "201", "202")) {
                success |= !DOCUMENT.resolve(responses.path(status)).path("content").path("application/json").path("schema").isMissingNode();
            }
            if (!success) {
                missing.add(operation.route() + ": no 2xx JSON schema");
            }
            for (String status : List.of("400", "401", "403")) {
                JsonNode schema = DOCUMENT.resolve(responses.path(status)).path("content").path("application/json").path("schema");
                if (!"#/components/schemas/Error".equals(schema.path("$ref").asText())) {
                    missing.add(operation.route() + ": " + status + " is not the error body");
                }
            }
            if (!operation.node().path("operationId").isTextual()) {
                missing.add(operation.route() + ": no operationId");
            }
        }
        assertEquals(List.of(), missing);
        assertEquals(List.of("GET /console", "GET /console/{asset}"), open, "only the console's files need no key");
        assertEquals("bearer", DOCUMENT.root().at("/components/securitySchemes/apiKey/scheme").asText());
        assertTrue(DOCUMENT.root().at("/security/0").has("apiKey"));
    }

    @Test
    void decimalsAreStrings_everywhere() {
        JsonNode decimal = DOCUMENT.root().at("/components/schemas/Decimal");
        assertEquals("string", decimal.path("type").asText());
        // no money or quantity field is declared a JSON number
        List<String> numbers = new ArrayList<>();
        collectNumberFields(DOCUMENT.root().at("/components/schemas"), "", numbers);
        assertEquals(List.of("UsageAnomalies.anomalies.iqrScore", "UsageAnomalies.anomalies.zScore",
                "UsageAnomalies.method.iqrMultiplier", "UsageAnomalies.method.zScoreThreshold",
                "UsageAnomalies.statistics.mean", "UsageAnomalies.statistics.median", "UsageAnomalies.statistics.q1",
                "UsageAnomalies.statistics.q3", "UsageAnomalies.statistics.standardDeviation"),
                numbers.stream().sorted().toList(), "only scores and statistics may be JSON numbers");
    }

    @Test
    void aLiteralSegment_winsOverAParameter() {
        assertEquals("/sla/metrics/collect", DOCUMENT.find("POST", "/sla/metrics/collect").orElseThrow().path());
        assertEquals("/sla/metrics/{minerId}", DOCUMENT.find("GET", "/sla/metrics/gpu-7").orElseThrow().path());
        assertEquals("/quota/{tenant}", DOCUMENT.find("GET", "/quota/acme").orElseThrow().path());
        assertFalse(DOCUMENT.find("DELETE", "/quota/acme").isPresent());
        assertTrue(DOCUMENT.knowsPath("/quota/acme"));
        assertFalse(DOCUMENT.knowsPath("/nowhere"));
    }

    private static void collectNumberFields(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            JsonNode type = node.get("type");
            boolean number = type != null && (type.asText().equals("number")
                    || type.isArray() && type.toString().contains("\"number\""));
            if (number) {
                out.add(path);
            }
            node.fields().forEachRemaining(field -> {
                String name = field.getKey();
                String next = name.equals("properties") || name.equals("items") ? path
                        : path.isEmpty() ? name : path + "." + name;
                collectNumberFields(field.getValue(), next, out);
            });
        }
    }
}
