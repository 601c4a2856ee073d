package com.poolhub.metering.apispec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks an API response against the description: the operation exists, the status is one it
 * declares, the declared required headers are set, and the JSON body validates against the
 * response's schema (JSON Schema 2020-12, the dialect of OpenAPI 3.1). A request no operation serves
 * may answer 404 (or 405 on a path the API knows with another method), each with the error body.
 */
public final class ResponseValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMAS = "#/components/schemas/";

    private final OpenApiDocument document;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    public ResponseValidator(OpenApiDocument document) {
        this.document = document;
    }

    public OpenApiDocument document() {
        return document;
    }

    /** What is wrong with the response, empty when it conforms. */
    public List<String> problems(String method, String path, int status, Map<String, String> headers, String body) {
        String request = method + " " + path + " -> " + status;
        Optional<OpenApiDocument.Operation> operation = document.find(method, path);
        if (operation.isEmpty()) {
            boolean generic = status == 405 && document.knowsPath(path) || status == 404;
            return generic ? bodyProblems(request, schemaOf("Error"), body) : List.of(request + ": no such operation in the description");
        }
        JsonNode responses = operation.get().node().path("responses");
        JsonNode declared = responses.has(Integer.toString(status)) ? responses.get(Integer.toString(status)) : responses.get("default");
        if (declared == null) {
            return List.of(request + ": status " + status + " is not declared for " + operation.get().route());
        }
        JsonNode response = document.resolve(declared);
        List<String> problems = new ArrayList<>(headerProblems(request, response.path("headers"), headers));
        JsonNode content = response.path("content");
        JsonNode schema = content.path("application/json").path("schema");
        if (schema.isMissingNode()) {
            if (body != null && !body.isEmpty() && !declaresMediaType(content, find(headers, "Content-Type"))) {
                problems.add(request + ": a body where the description declares none of its type");
            }
            return problems;
        }
        String key = operation.get().route() + " " + status;
        problems.addAll(bodyProblems(request, compiled.computeIfAbsent(key, k -> compile(schema)), body));
        return problems;
    }

    private List<String> headerProblems(String request, JsonNode declared, Map<String, String> headers) {
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = declared.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> header = it.next();
            boolean required = document.resolve(header.getValue()).path("required").asBoolean(false);
            if (required && find(headers, header.getKey()) == null) {
                problems.add(request + ": header " + header.getKey() + " is missing");
            }
        }
        return problems;
    }

    /** Whether a non-JSON body's content type (parameters aside) is one the response declares. */
    private static boolean declaresMediaType(JsonNode content, String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        return !media.equals("application/json") && content.has(media);
    }

    private static String find(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (header.getKey().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return header.getValue();
            }
        }
        return null;
    }

    private static List<String> bodyProblems(String request, Schema schema, String body) {
        JsonNode parsed;
        try {
            parsed = body == null ? null : JSON.readTree(body);
        } catch (Exception e) {
            return List.of(request + ": the body is not JSON");
        }
        if (parsed == null || parsed.isMissingNode()) {
            return List.of(request + ": no body where the description declares one");
        }
        List<String> problems = new ArrayList<>();
        for (Error error : schema.validate(parsed)) {
            problems.add(request + ": " + error.getInstanceLocation() + " " + error.getMessage());
        }
        return problems;
    }

    private Schema schemaOf(String name) {
        return compiled.computeIfAbsent("#" + name, k -> compile(TextNode.valueOf(SCHEMAS + name)));
    }

    /**
     * A standalone 2020-12 schema: the component schemas as {@code $defs} (references rewritten to
     * point there) and the response schema at the root.
     */
    private Schema compile(JsonNode schema) {
        ObjectNode standalone = JSON.createObjectNode();
        standalone.put("$schema", SpecificationVersion.DRAFT_2020_12.getDialectId());
        standalone.set("$defs", rewrite(document.root().path("components").path("schemas")));
        if (schema.isTextual()) {
            standalone.put("$ref", schema.asText().replace(SCHEMAS, "#/$defs/"));
        } else {
            standalone.setAll((ObjectNode) rewrite(schema));
        }
        return registry.getSchema(standalone);
    }

    private static JsonNode rewrite(JsonNode node) {
        JsonNode copy = node.deepCopy();
        rewriteInPlace(copy);
        return copy;
    }

    private static void rewriteInPlace(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isTextual() && ref.asText().startsWith(SCHEMAS)) {
                object.put("$ref", ref.asText().replace(SCHEMAS, "#/$defs/"));
            }
            object.elements().forEachRemaining(ResponseValidator::rewriteInPlace);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(ResponseValidator::rewriteInPlace);
        }
    }
}
