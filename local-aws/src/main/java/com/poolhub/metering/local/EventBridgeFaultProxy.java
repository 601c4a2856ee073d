package com.poolhub.metering.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback proxy in front of an EventBridge endpoint (the moto server) that fails chosen PutEvents
 * entries the way the service does under load: the response lists them with
 * {@code ThrottlingException} while the other entries of the call are forwarded and delivered. moto
 * always accepts, so tests of partial failures and retries publish through this proxy; everything
 * else passes through unchanged.
 */
public final class EventBridgeFaultProxy implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final RecordingHttpEndpoint endpoint;
    private final HttpForwarder forwarder;
    private final AtomicInteger entriesToFail = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    private EventBridgeFaultProxy(URI target) {
        this.forwarder = new HttpForwarder(target);
        this.endpoint = RecordingHttpEndpoint.start(this::respond);
    }

    /** Starts a proxy forwarding to {@code target}. */
    public static EventBridgeFaultProxy start(URI target) {
        return new EventBridgeFaultProxy(target);
    }

    /** Starts a proxy in front of the moto server. */
    public static EventBridgeFaultProxy start() {
        return start(LocalAws.motoEndpoint());
    }

    public URI endpoint() {
        return endpoint.endpoint();
    }

    /** The next {@code n} entries received are answered as failed ({@code ThrottlingException}) and not delivered. */
    public void failNextEntries(int n) {
        entriesToFail.set(n);
    }

    /** How many entries were failed so far. */
    public int failedEntries() {
        return failed.get();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private RecordingHttpEndpoint.Response respond(RecordingHttpEndpoint.Request request) {
        String operation = request.header("X-Amz-Target");
        if (operation == null || !operation.endsWith(".PutEvents") || entriesToFail.get() == 0) {
            return forwarder.apply(request);
        }
        try {
            ObjectNode body = (ObjectNode) MAPPER.readTree(request.body());
            ArrayNode kept = MAPPER.createArrayNode();
            boolean[] failedAt = new boolean[body.path("Entries").size()];
            int i = 0;
            for (JsonNode entry : body.path("Entries")) {
                failedAt[i++] = entriesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                if (!failedAt[i - 1]) {
                    kept.add(entry);
                }
            }
            JsonNode forwarded = MAPPER.createObjectNode().putArray("Entries");
            if (!kept.isEmpty()) {
                body.set("Entries", kept);
                RecordingHttpEndpoint.Response answer = forwarder.forward(request, body.toString());
                if (answer.status() != 200) {
                    return answer;
                }
                forwarded = MAPPER.readTree(answer.body()).path("Entries");
            }
            return RecordingHttpEndpoint.Response.json(200, merge(failedAt, forwarded).toString());
        } catch (IOException | ClassCastException e) {
            return RecordingHttpEndpoint.Response.json(400,
                    "{\"__type\":\"ValidationException\",\"message\":\"malformed request\"}");
        }
    }

    /** The results in request order: the failed entries' errors between the forwarded entries' results. */
    private ObjectNode merge(boolean[] failedAt, JsonNode forwarded) {
        ObjectNode response = MAPPER.createObjectNode();
        ArrayNode results = response.putArray("Entries");
        int failedCount = 0;
        int next = 0;
        for (boolean entryFailed : failedAt) {
            if (entryFailed) {
                results.addObject().put("ErrorCode", "ThrottlingException").put("ErrorMessage", "Rate exceeded");
                failedCount++;
                failed.incrementAndGet();
            } else {
                JsonNode result = forwarded.path(next++);
                results.add(result);
                failedCount += result.has("ErrorCode") ? 1 : 0;
            }
        }
        response.put("FailedEntryCount", failedCount);
        return response;
    }
}
