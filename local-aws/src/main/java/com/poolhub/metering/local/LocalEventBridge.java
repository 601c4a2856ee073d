package com.poolhub.metering.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A local endpoint speaking EventBridge's PutEvents (JSON 1.1, {@code AWSEvents.PutEvents}): it
 * records accepted entries, hands each to the listeners (the local rules), and can fail chosen
 * entries, as the service does, with an error code.
 */
public final class LocalEventBridge implements AutoCloseable {
    /** One accepted entry. */
    public record Entry(String source, String detailType, JsonNode detail, String busName) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final RecordingHttpEndpoint endpoint;
    private final List<Entry> accepted = new CopyOnWriteArrayList<>();
    private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicInteger entriesToFail = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    private LocalEventBridge() {
        this.endpoint = RecordingHttpEndpoint.start(this::respond);
    }

    public static LocalEventBridge start() {
        return new LocalEventBridge();
    }

    public URI endpoint() {
        return endpoint.endpoint();
    }

    /** The HTTP-level endpoint, to inject faults (5xx, delays) or read raw requests. */
    public RecordingHttpEndpoint http() {
        return endpoint;
    }

    /** The next {@code n} entries received are answered as failed ({@code ThrottlingException}). */
    public void failNextEntries(int n) {
        entriesToFail.set(n);
    }

    /** Called with every entry accepted from now on, on the thread answering the PutEvents call. */
    public void onAccepted(Consumer<Entry> listener) {
        listeners.add(listener);
    }

    public List<Entry> accepted() {
        return new ArrayList<>(accepted);
    }

    public List<Entry> accepted(String detailType) {
        return accepted.stream().filter(e -> e.detailType().equals(detailType)).toList();
    }

    public void clear() {
        accepted.clear();
        endpoint.clear();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private RecordingHttpEndpoint.Response respond(RecordingHttpEndpoint.Request request) {
        String target = request.header("X-Amz-Target");
        if (target == null || !target.endsWith("PutEvents")) {
            return RecordingHttpEndpoint.Response.json(400,
                    "{\"__type\":\"UnknownOperationException\",\"message\":\"only PutEvents is served here\"}");
        }
        try {
            JsonNode body = MAPPER.readTree(request.body());
            ObjectNode response = MAPPER.createObjectNode();
            ArrayNode results = response.putArray("Entries");
            int failed = 0;
            for (JsonNode entry : body.path("Entries")) {
                if (entriesToFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    results.addObject().put("ErrorCode", "ThrottlingException").put("ErrorMessage", "Rate exceeded");
                    failed++;
                    continue;
                }
                JsonNode detail = MAPPER.readTree(entry.path("Detail").asText("{}"));
                Entry kept = new Entry(entry.path("Source").asText(), entry.path("DetailType").asText(), detail,
                        entry.path("EventBusName").asText());
                accepted.add(kept);
                listeners.forEach(listener -> listener.accept(kept));
                results.addObject().put("EventId", "local-" + ids.incrementAndGet());
            }
            response.put("FailedEntryCount", failed);
            return RecordingHttpEndpoint.Response.json(200, response.toString());
        } catch (Exception e) {
            return RecordingHttpEndpoint.Response.json(400,
                    "{\"__type\":\"ValidationException\",\"message\":\"malformed request\"}");
        }
    }
}
