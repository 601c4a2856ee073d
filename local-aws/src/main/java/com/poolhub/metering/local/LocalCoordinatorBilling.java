package com.poolhub.metering.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for the coordinator-api billing endpoint ({@code POST /usage}, JSON body with
 * tenant, periodStart, periodEnd, metric, quantity as a decimal string; headers
 * {@code Authorization: Bearer <key>} and {@code Idempotency-Key}). It keeps a ledger keyed by
 * idempotency key and applies each key once: a replay with the same body answers 200 with the
 * original entry, a reuse with another body 409, a new key 201. Faults (5xx, delays past the client's
 * timeout, a response lost after the request was applied) are injected through {@link #http()}.
 */
public final class LocalCoordinatorBilling implements AutoCloseable {
    /** One applied request. */
    public record Entry(String idempotencyKey, String tenant, String periodStart, String periodEnd, String metric,
                        BigDecimal quantity, String body) {
    }

    /** A billed quantity's identity: tenant, period start and metric. */
    public record Period(String tenant, String periodStart, String metric) implements Comparable<Period> {
        @Override
        public int compareTo(Period o) {
            return (tenant + "|" + periodStart + "|" + metric).compareTo(o.tenant + "|" + o.periodStart + "|" + o.metric);
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final RecordingHttpEndpoint endpoint;
    private final String apiKey;
    private final Map<String, Entry> ledger = new LinkedHashMap<>();
    private final AtomicInteger replays = new AtomicInteger();

    private LocalCoordinatorBilling(String apiKey) {
        this.apiKey = apiKey;
        this.endpoint = RecordingHttpEndpoint.start(this::respond);
    }

    /** Starts the endpoint; requests must present {@code Bearer apiKey}. */
    public static LocalCoordinatorBilling start(String apiKey) {
        return new LocalCoordinatorBilling(apiKey);
    }

    public URI endpoint() {
        return endpoint.endpoint();
    }

    /** The HTTP-level endpoint, to inject faults or read raw requests. */
    public RecordingHttpEndpoint http() {
        return endpoint;
    }

    /** Every applied entry, in the order applied. */
    public synchronized List<Entry> ledger() {
        return new ArrayList<>(ledger.values());
    }

    /** The ledger summed per tenant, period and metric. */
    public synchronized Map<Period, BigDecimal> totals() {
        Map<Period, BigDecimal> totals = new TreeMap<>();
        for (Entry e : ledger.values()) {
            totals.merge(new Period(e.tenant(), e.periodStart(), e.metric()), e.quantity(), BigDecimal::add);
        }
        return totals;
    }

    /** Requests that repeated an applied key with the same body (answered without applying). */
    public int replays() {
        return replays.get();
    }

    @Override
    public void close() {
        endpoint.close();
    }

    private synchronized RecordingHttpEndpoint.Response respond(RecordingHttpEndpoint.Request request) {
        if (!"POST".equals(request.method()) || !"/usage".equals(request.path())) {
            return error(404, "NOT_FOUND", "only POST /usage is served");
        }
        if (!("Bearer " + apiKey).equals(request.header("Authorization"))) {
            return error(401, "UNAUTHORIZED", "missing or invalid API key");
        }
        String key = request.header("Idempotency-Key");
        if (key == null || key.isBlank()) {
            return error(400, "VALIDATION", "Idempotency-Key is required");
        }
        Entry entry;
        try {
            JsonNode body = MAPPER.readTree(request.body());
            entry = new Entry(key, text(body, "tenant"), text(body, "periodStart"), text(body, "periodEnd"),
                    text(body, "metric"), new BigDecimal(text(body, "quantity")), request.body());
        } catch (Exception e) {
            return error(400, "VALIDATION", "malformed body");
        }
        Entry applied = ledger.get(key);
        if (applied != null) {
            if (!applied.body().equals(entry.body())) {
                return error(409, "IDEMPOTENCY_KEY_REUSED", "the key was used with another body");
            }
            replays.incrementAndGet();
            return new RecordingHttpEndpoint.Response(200, "application/json", "{\"status\":\"DUPLICATE\",\"key\":\"" + key + "\"}");
        }
        ledger.put(key, entry);
        return new RecordingHttpEndpoint.Response(201, "application/json", "{\"status\":\"APPLIED\",\"key\":\"" + key + "\"}");
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw new IllegalArgumentException(field);
        }
        return node.asText();
    }

    private static RecordingHttpEndpoint.Response error(int status, String code, String message) {
        return new RecordingHttpEndpoint.Response(status, "application/json",
                "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }
}
