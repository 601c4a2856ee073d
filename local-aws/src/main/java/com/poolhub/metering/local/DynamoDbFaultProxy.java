package com.poolhub.metering.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback proxy in front of a DynamoDB endpoint that answers chosen requests the way the service
 * does under stress, so the SDK's real retry policy and the code's handling of what is left are both
 * exercised: {@code ProvisionedThroughputExceededException} (throttling) or an HTTP 500, for the next
 * N calls of an operation or for every call of it for a while. Everything else is forwarded as is.
 */
public final class DynamoDbFaultProxy implements AutoCloseable {
    /** The kinds of injected failure. */
    public enum Failure {
        THROTTLE(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\","
                + "\"message\":\"The level of configured provisioned throughput for the table was exceeded.\"}"),
        INTERNAL_ERROR(500, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                + "\"message\":\"Internal server error\"}");

        private final int status;
        private final String body;

        Failure(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;
    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private final Map<String, Failure> failNextKind = new ConcurrentHashMap<>();
    private final Set<String> failAlways = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();
    private volatile Failure alwaysKind = Failure.THROTTLE;

    private DynamoDbFaultProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "dynamodb-fault-proxy");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a proxy forwarding to {@code target}. */
    public static DynamoDbFaultProxy start(URI target) {
        try {
            return new DynamoDbFaultProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("could not start the DynamoDB fault proxy", e);
        }
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Fails the next {@code n} calls of an operation (e.g. {@code UpdateItem}) with the given failure. */
    public void failNext(String operation, int n, Failure failure) {
        failNextKind.put(operation, failure);
        failNext.computeIfAbsent(operation, k -> new AtomicInteger()).set(n);
    }

    /** Fails every call of an operation until {@link #heal()}. */
    public void failAlways(String operation, Failure failure) {
        alwaysKind = failure;
        failAlways.add(operation);
    }

    /** Stops injecting failures. */
    public void heal() {
        failNext.clear();
        failAlways.clear();
    }

    /** How many failures were injected for an operation. */
    public long injected(String operation) {
        AtomicLong count = injected.get(operation);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private Failure failureFor(String operation) {
        if (failAlways.contains(operation)) {
            return alwaysKind;
        }
        AtomicInteger remaining = failNext.get(operation);
        if (remaining != null && remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return failNextKind.get(operation);
        }
        return null;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String targetHeader = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = targetHeader == null ? "" : targetHeader.substring(targetHeader.indexOf('.') + 1);
            Failure failure = failureFor(operation);
            if (failure != null) {
                injected.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
                reply(exchange, failure.status, failure.body.getBytes(StandardCharsets.UTF_8));
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, java.util.List<String>> header : exchange.getRequestHeaders().entrySet()) {
                String name = header.getKey();
                if (!Set.of("host", "content-length", "connection", "expect", "transfer-encoding")
                        .contains(name.toLowerCase())) {
                    header.getValue().forEach(v -> forward.header(name, v));
                }
            }
            try {
                HttpResponse<byte[]> response = client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                reply(exchange, response.statusCode(), response.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(exchange, 500, Failure.INTERNAL_ERROR.body.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
