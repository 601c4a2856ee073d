package com.poolhub.metering.ingest.rejects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.PageToken;
import com.poolhub.metering.ingest.RejectStore;
import com.poolhub.metering.ingest.RejectedRecord;
import com.poolhub.metering.json.Json;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The admin routes over kept rejects ({@link RejectOperations}, the same operations as the
 * direct-invoke {@code RejectReplayFunction}):
 * <ul>
 *   <li>{@code GET /rejects/{stream}?day=yyyy-MM-dd&limit=&nextToken=}: a page of the day's rejects,
 *       oldest first;</li>
 *   <li>{@code POST /rejects/{stream}/replay} with {@code {"day", "limit", "ids", "nextToken"}}: replays
 *       the chosen rejects ({@code ids}), or a page of the day's; answers
 *       {@code {replayed, stillRejected, failed, notFound, nextToken}}.</li>
 * </ul>
 */
public final class RejectsApi {
    static final int MAX_IDS = 1000;
    private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final RejectOperations operations;
    private final ApiRouter router;

    public RejectsApi(RejectOperations operations) {
        this.operations = operations;
        this.router = new ApiRouter()
                .get("/rejects/{stream}", this::list)
                .post("/rejects/{stream}/replay", this::replay);
    }

    public ApiRouter router() {
        return router;
    }

    private String stream(ApiRequest request) {
        request.caller().requireAdmin();
        String stream = request.path("stream");
        if (!operations.knows(stream)) {
            throw ApiException.badRequest("stream must be one of " + operations.streams());
        }
        return stream;
    }

    private static LocalDate day(String text) {
        try {
            if (text == null || !DAY.matcher(text).matches()) {
                throw new DateTimeParseException("not yyyy-MM-dd", String.valueOf(text), 0);
            }
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("day must be a UTC arrival day yyyy-MM-dd, e.g. 2026-11-22");
        }
    }

    ApiResponse list(ApiRequest request) {
        String stream = stream(request);
        LocalDate day = day(request.query("day").orElse(null));
        int limit = request.limit();
        String after = request.nextToken().map(position -> after(position, day)).orElse(null);
        RejectStore.Page page = operations.list(stream, day, limit, after);
        ObjectNode body = Json.object();
        body.put("stream", stream);
        body.put("day", day.toString());
        body.set("rejects", Json.mapper().valueToTree(RejectJson.describe(page.items())));
        body.put("nextToken", page.nextToken() == null ? null : request.nextTokenAt(Map.of("after", page.nextToken())));
        return ApiResponse.ok(body);
    }

    ApiResponse replay(ApiRequest request) {
        String stream = stream(request);
        JsonNode fields = request.body();
        LocalDate day = day(fields.path("day").isTextual() ? fields.get("day").asText() : null);
        int limit = limit(fields.get("limit"));
        Optional<Set<String>> ids = ids(fields.get("ids"));
        JsonNode token = fields.get("nextToken");
        if (token != null && !token.isNull() && !token.isTextual()) {
            throw ApiException.badRequest("nextToken must be the string a previous replay answered");
        }
        boolean paged = token != null && token.isTextual();
        if (paged && ids.isPresent()) {
            throw ApiException.badRequest("give ids or nextToken, not both");
        }
        List<RejectedRecord> chosen;
        List<String> notFound = new ArrayList<>();
        String next = null;
        if (ids.isPresent()) {
            Map<String, String> keyOf = new LinkedHashMap<>();
            for (String id : ids.get()) {
                keyOf.put(id, RejectIds.key(id, day).orElseThrow(() -> ApiException.badRequest(
                        "ids must be ids of rejects that arrived on " + day + " as GET /rejects/" + stream + " lists them")));
            }
            chosen = operations.find(stream, day, keyOf.values());
            Set<String> found = new LinkedHashSet<>();
            chosen.forEach(reject -> found.add(RejectIds.of(reject)));
            keyOf.keySet().stream().filter(id -> !found.contains(id)).forEach(notFound::add);
        } else {
            String after = null;
            if (paged) {
                Map<String, String> position = PageToken.read(request.pageScope(), token.asText());
                if (!day.toString().equals(position.get("day"))) {
                    throw ApiException.badRequest("nextToken was issued for another day; repeat the replay without it");
                }
                after = after(position, day);
            }
            RejectStore.Page page = operations.list(stream, day, limit, after);
            chosen = page.items();
            next = page.nextToken() == null ? null
                    : request.nextTokenAt(Map.of("day", day.toString(), "after", page.nextToken()));
        }
        RejectOperations.Outcome outcome = operations.replay(request.auditActor(), stream, day, chosen);
        ObjectNode body = Json.object();
        body.put("stream", stream);
        body.put("day", day.toString());
        body.put("replayed", outcome.replayed().size());
        body.set("stillRejected", Json.mapper().valueToTree(RejectJson.describe(outcome.stillRejected())));
        body.put("failed", outcome.failed());
        body.set("notFound", Json.mapper().valueToTree(notFound));
        body.put("nextToken", next);
        return ApiResponse.ok(body);
    }

    /**
     * Where a page continues: the store's position, which is the id of the last reject listed (its key
     * in URL-safe Base64), so it must be the id of a reject of the day asked.
     */
    private static String after(Map<String, String> position, LocalDate day) {
        String after = position.get("after");
        if (after == null || RejectIds.key(after, day).isEmpty()) {
            throw ApiException.badRequest("nextToken does not lie inside this query; repeat the query without it");
        }
        return after;
    }

    private static int limit(JsonNode limit) {
        if (limit == null || limit.isNull()) {
            return 100;
        }
        if (!limit.isIntegralNumber() || limit.asLong() < 1 || limit.asLong() > 1000) {
            throw ApiException.badRequest("limit must be an integer between 1 and 1000");
        }
        return limit.asInt();
    }

    private static Optional<Set<String>> ids(JsonNode ids) {
        if (ids == null || ids.isNull()) {
            return Optional.empty();
        }
        if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_IDS) {
            throw ApiException.badRequest("ids must be an array of 1 to " + MAX_IDS + " reject ids");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isEmpty()) {
                throw ApiException.badRequest("ids must be an array of 1 to " + MAX_IDS + " reject ids");
            }
            distinct.add(id.asText());
        }
        return Optional.of(distinct);
    }
}
