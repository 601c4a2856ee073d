package com.poolhub.metering.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A small HTTP server on loopback that stands in for what no emulator here does: the coordinator
 * billing API, and service faults moto cannot produce (rejected Timestream records, server errors).
 * In front of moto, with an {@link HttpForwarder}, it records the requests moto serves. It records
 * every request, answers through a protocol-specific responder, and can inject faults: an error status, a delay, or a lost response
 * (the request is applied by the responder, then the connection is dropped without an answer).
 */
public final class RecordingHttpEndpoint implements AutoCloseable {

    /** One request as it arrived. */
    public record Request(String method, String path, String query, Map<String, String> headers, String body) {
        /** A header by case-insensitive name, or null. */
        public String header(String name) {
            for (Map.Entry<String, String> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }
    }

    /** What the endpoint answers. */
    public record Response(int status, String contentType, String body) {
        public static Response json(int status, String body) {
            return new Response(status, "application/x-amz-json-1.1", body);
        }
    }

    /** A fault to apply to the next request. */
    public sealed interface Fault {
        /** Answer with this status and body without calling the responder. */
        record Status(int status, String body) implements Fault { }

        /** Wait, then answer normally. */
        record Delay(long millis) implements Fault { }

        /** Call the responder (the request takes effect), then drop the connection unanswered. */
        record LoseResponse() implements Fault { }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private volatile Function<Request, Response> responder;

    private RecordingHttpEndpoint(Function<Request, Response> responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts an endpoint on a free loopback port. */
    public static RecordingHttpEndpoint start(Function<Request, Response> responder) {
        try {
            return new RecordingHttpEndpoint(responder);
        } catch (IOException e) {
            throw new IllegalStateException("could not start a local HTTP endpoint", e);
        }
    }

    /** Starts an endpoint forwarding every request to {@code target}, recording it on the way. */
    public static RecordingHttpEndpoint forwardingTo(URI target) {
        return start(new HttpForwarder(target));
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Replaces the responder. */
    public void respondWith(Function<Request, Response> newResponder) {
        this.responder = newResponder;
    }

    /** Queues faults, applied one per request in order. */
    public synchronized void inject(Fault... next) {
        faults.addAll(List.of(next));
    }

    /** Every request received so far, in order (faulted ones included). */
    public List<Request> requests() {
        return new ArrayList<>(requests);
    }

    public void clear() {
        requests.clear();
        synchronized (this) {
            faults.clear();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private synchronized Fault nextFault() {
        return faults.pollFirst();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), headers, body);
            requests.add(request);
            Fault fault = nextFault();
            Response response;
            if (fault instanceof Fault.Status status) {
                response = new Response(status.status(), "application/json", status.body());
            } else if (fault instanceof Fault.LoseResponse) {
                responder.apply(request);
                exchange.getResponseHeaders().add("Connection", "close");
                exchange.sendResponseHeaders(200, 1_000_000);
                exchange.getResponseBody().close();
                return;
            } else {
                if (fault instanceof Fault.Delay delay) {
                    FreePorts.sleep(delay.millis());
                }
                response = responder.apply(request);
            }
            byte[] bytes = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
