package com.poolhub.metering.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Function;

/**
 * A {@link RecordingHttpEndpoint} responder that forwards each request to another endpoint (the moto
 * server) and answers with what it answered: a recording or fault-injecting stand-in in front of a
 * real emulator.
 */
public final class HttpForwarder implements Function<RecordingHttpEndpoint.Request, RecordingHttpEndpoint.Response> {
    private static final String[] FORWARDED_HEADERS = {"X-Amz-Target", "Content-Type", "Authorization", "X-Amz-Date"};
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI target;

    public HttpForwarder(URI target) {
        this.target = target;
    }

    @Override
    public RecordingHttpEndpoint.Response apply(RecordingHttpEndpoint.Request request) {
        return forward(request, request.body());
    }

    /** Forwards the request with another body. */
    public RecordingHttpEndpoint.Response forward(RecordingHttpEndpoint.Request request, String body) {
        String path = request.query() == null ? request.path() : request.path() + "?" + request.query();
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(request.method(), HttpRequest.BodyPublishers.ofString(body));
        for (String header : FORWARDED_HEADERS) {
            String value = request.header(header);
            if (value != null) {
                builder.header(header, value);
            }
        }
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new RecordingHttpEndpoint.Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse("application/x-amz-json-1.1"), response.body());
        } catch (IOException e) {
            return RecordingHttpEndpoint.Response.json(500, "{\"__type\":\"InternalException\",\"message\":\"unreachable\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RecordingHttpEndpoint.Response.json(500, "{\"__type\":\"InternalException\",\"message\":\"interrupted\"}");
        }
    }
}
