package com.poolhub.metering.apispec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The project's {@code openapi.yaml} as a tree: its operations ({@code GET /usage/{tenant}}), the
 * operation a concrete request path falls under (literal segments before parameters, as API Gateway
 * picks), and references inside the document resolved.
 */
public final class OpenApiDocument {
    /** The classpath location the build copies the description to. */
    public static final String RESOURCE = "/com/poolhub/metering/apispec/openapi.yaml";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One operation: method, path template and its node in the document. */
    public record Operation(String method, String path, JsonNode node) {
        /** {@code METHOD /path}, the form the router and the template conformance use. */
        public String route() {
            return method + " " + path;
        }
    }

    private final JsonNode root;
    private final List<Operation> operations;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
        List<Operation> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                if (path.getValue().has(method)) {
                    found.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), path.getValue().get(method)));
                }
            }
        }
        this.operations = List.copyOf(found);
    }

    /** The description the build packaged with this module. */
    public static OpenApiDocument load() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A description from its YAML (or JSON) text. */
    public static OpenApiDocument parse(String text) {
        try {
            return new OpenApiDocument(YAML.readTree(text));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a YAML document: " + e.getMessage(), e);
        }
    }

    public JsonNode root() {
        return root;
    }

    public List<Operation> operations() {
        return operations;
    }

    /** Every operation as {@code METHOD /path}, sorted. */
    public Set<String> routes() {
        Set<String> routes = new TreeSet<>();
        operations.forEach(operation -> routes.add(operation.route()));
        return routes;
    }

    /** The operation serving a concrete request, if the description has one. */
    public Optional<Operation> find(String method, String path) {
        return operations.stream()
                .filter(operation -> operation.method.equalsIgnoreCase(method) && matches(operation.path, path))
                .max(Comparator.comparingLong(operation -> literalSegments(operation.path)));
    }

    /** Whether some operation's path template matches the concrete path, whatever the method. */
    public boolean knowsPath(String path) {
        return operations.stream().anyMatch(operation -> matches(operation.path, path));
    }

    /** The node a local reference ({@code #/components/...}) points to; other nodes as they are. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; current != null && current.has("$ref") && depth < 16; depth++) {
            String ref = current.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only local references are supported: " + ref);
            }
            current = root.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalArgumentException("unresolved reference " + ref);
            }
        }
        return current;
    }

    static boolean matches(String template, String path) {
        String[] expected = segments(template);
        String[] actual = segments(path);
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            boolean parameter = expected[i].startsWith("{") && expected[i].endsWith("}");
            if (parameter ? actual[i].isEmpty() : !expected[i].equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    private static long literalSegments(String template) {
        return java.util.Arrays.stream(segments(template)).filter(segment -> !segment.startsWith("{")).count();
    }

    private static String[] segments(String path) {
        // as the router reads a path: outer slashes dropped, runs of slashes one separator
        String trimmed = path.replaceAll("^/+|/+$", "");
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/+");
    }
}
