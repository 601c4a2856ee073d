package com.poolhub.metering.localrun;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.apispec.OpenApiDocument;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.json.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The local system on a loopback HTTP port. Every path goes through {@link LocalApiGateway} as API
 * Gateway would, except the runner's own {@code /local/*} routes (loopback only, not part of the
 * API): {@code POST /local/streams/{LogicalId}} puts the body (one CloudEvent or an array) on a
 * stream and delivers it; {@code POST /local/keys} with {@code {"role", "principal"}} issues a key;
 * {@code POST /local/schedules} fires every schedule once. {@code GET /openapi.yaml} serves the API's
 * OpenAPI description.
 */
public final class LocalServer implements AutoCloseable {
    private final HttpServer server;
    private final LocalSystem system;

    private LocalServer(LocalSystem system, int port) throws IOException {
        this.system = system;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::handle);
        // requests are served side by side, as API Gateway and Lambda serve them: one slow caller does not hold up the rest
        server.setExecutor(Executors.newFixedThreadPool(16, Workers.daemon("local-server")));
        server.start();
    }

    public static LocalServer start(LocalSystem system, int port) throws IOException {
        return new LocalServer(system, port);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (path.startsWith("/local/")) {
                local(exchange, method, path, body);
                return;
            }
            if ("GET".equals(method) && path.equals("/openapi.yaml")) {
                exchange.getResponseHeaders().set("Content-Type", "application/yaml");
                send(exchange, 200, description());
                return;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            APIGatewayProxyResponseEvent response = system.api().handle(method, path, query(exchange.getRequestURI().getRawQuery()),
                    headers, body.isEmpty() ? null : body);
            if (response.getHeaders() != null) {
                response.getHeaders().forEach(exchange.getResponseHeaders()::set);
            }
            send(exchange, response.getStatusCode(), response.getBody() == null ? "" : response.getBody());
        }
    }

    private void local(HttpExchange exchange, String method, String path, String body) throws IOException {
        try {
            if ("POST".equals(method) && path.startsWith("/local/streams/")) {
                String stream = path.substring("/local/streams/".length());
                JsonNode events = Json.mapper().readTree(body);
                List<String> data = new ArrayList<>();
                List<String> keys = new ArrayList<>();
                for (JsonNode event : events.isArray() ? events : Json.mapper().createArrayNode().add(events)) {
                    data.add(event.toString());
                    keys.add(event.path("subject").asText("local"));
                }
                system.streams().put(stream, data, keys);
                long delivered = system.streams().drain();
                send(exchange, 200, Json.object().put("stream", stream).put("delivered", delivered).toString());
            } else if ("POST".equals(method) && path.equals("/local/keys")) {
                JsonNode request = Json.mapper().readTree(body);
                String key = system.issueKey(request.path("role").asText(), request.path("principal").asText());
                send(exchange, 200, Json.object().put("apiKey", key).toString());
            } else if ("POST".equals(method) && path.equals("/local/schedules")) {
                send(exchange, 200, Json.mapper().writeValueAsString(system.schedules().fireAll(java.time.Instant.now())));
            } else {
                send(exchange, 404, "{\"error\": {\"code\": \"NOT_FOUND\", \"message\": \"no local route " + path + "\"}}");
            }
        } catch (IOException | RuntimeException e) {
            send(exchange, 400, Json.object().set("error", Json.object().put("code", "VALIDATION")
                    .put("message", String.valueOf(e.getMessage()))).toString());
        }
    }

    /** The API's OpenAPI description, as packaged from the repository's {@code openapi.yaml}. */
    private static String description() throws IOException {
        try (InputStream in = LocalServer.class.getResourceAsStream(OpenApiDocument.RESOURCE)) {
            if (in == null) {
                throw new IOException(OpenApiDocument.RESOURCE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
