package com.poolhub.metering.sla.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.api.PagePosition;
import com.poolhub.metering.events.PublishException;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.sla.CapacityForecast;
import com.poolhub.metering.sla.CapacitySnapshot;
import com.poolhub.metering.sla.Collection;
import com.poolhub.metering.sla.CollectionRequest;
import com.poolhub.metering.sla.MinerMetrics;
import com.poolhub.metering.sla.Page;
import com.poolhub.metering.sla.RegisteredMiner;
import com.poolhub.metering.sla.SlaCollectionRequests;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaJson;
import com.poolhub.metering.sla.SlaMetric;
import com.poolhub.metering.sla.SlaRepository;
import com.poolhub.metering.sla.SlaWindow;
import com.poolhub.metering.sla.ViolationRecord;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code /sla} routes of CONTRACT §3 (all but {@code /sla/billing/*}): miner and pool metrics,
 * violations, collection on request (answered at once with 202 and an id; the collector runs it on
 * the {@code SlaCollectionRequested} event, and its status is read at
 * {@code /sla/metrics/collect/{collectionId}}), capacity snapshots, forecast and recommendations.
 * Admins see everything; a miner sees only its own metrics.
 */
public final class SlaApi {
    /** Longest window or range a query may ask for: the telemetry's deduplication horizon. */
    static final Duration MAX_RANGE = Duration.ofDays(35);
    static final int MAX_FORECAST_HOURS = 720;
    static final String COLLECT = "/sla/metrics/collect";

    private final SlaCollector collector;
    private final SlaCollectionRequests requests;
    private final SlaRepository repository;
    private final Clock clock;
    private final int defaultForecastHours;
    private final AuditLog audit;

    public SlaApi(SlaCollector collector, SlaCollectionRequests requests, SlaRepository repository, Clock clock,
                  int defaultForecastHours, AuditLog audit) {
        this.collector = collector;
        this.requests = requests;
        this.repository = repository;
        this.clock = clock;
        this.defaultForecastHours = defaultForecastHours;
        this.audit = audit;
    }

    public ApiRouter router() {
        return new ApiRouter()
                .get("/sla/metrics/{minerId}", this::minerMetrics)
                .get("/sla/metrics", this::allMetrics)
                .post(COLLECT, this::collect)
                .get(COLLECT + "/{collectionId}", this::collectionStatus)
                .get("/sla/violations", this::violations)
                .get("/sla/capacity/snapshots", this::snapshots)
                .get("/sla/capacity/forecast", this::forecast)
                .get("/sla/capacity/recommendations", this::recommendations)
                .get("/sla/budgets/{minerId}", this::budgets);
    }

    private ApiResponse minerMetrics(ApiRequest request) {
        String minerId = request.pathId("minerId");
        request.caller().requireMinerOrAdmin(minerId);
        SlaWindow window = requestedWindow(request).orElseGet(collector::defaultWindow);
        RegisteredMiner miner = collector.registeredMiner(minerId)
                .orElseThrow(() -> ApiException.notFound("no telemetry from miner " + minerId));
        return ApiResponse.ok(SlaJson.minerMetrics(collector.evaluate(miner, window)));
    }

    private ApiResponse budgets(ApiRequest request) {
        String minerId = request.pathId("minerId");
        request.caller().requireMinerOrAdmin(minerId);
        RegisteredMiner miner = collector.registeredMiner(minerId)
                .orElseThrow(() -> ApiException.notFound("no telemetry from miner " + minerId));
        return ApiResponse.ok(SlaJson.budgets(collector.budgets(miner)));
    }

    private ApiResponse allMetrics(ApiRequest request) {
        request.caller().requireAdmin();
        int limit = request.limit();
        Optional<Map<String, String>> token = request.nextToken();
        Optional<SlaWindow> requested = requestedWindow(request);
        boolean live = requested.isPresent() || token.map(t -> t.containsKey("from")).orElse(false);
        if (live) {
            return liveMetrics(request, limit, token);
        }
        Instant collectedAt;
        Collection latest = null;
        if (token.isPresent()) {
            collectedAt = tokenInstant(token.get(), "collection");
        } else {
            latest = repository.latestCollection().orElse(null);
            if (latest == null) {
                ObjectNode body = Json.object();
                body.putNull("collectedAt");
                body.putArray("miners");
                body.putNull("pool");
                body.putNull("nextToken");
                return ApiResponse.ok(body);
            }
            collectedAt = latest.collectedAt();
        }
        Page<MinerMetrics> page = repository.minerMetrics(collectedAt, limit,
                token.map(t -> Map.of("sk", required(t, "sk"))).orElse(null));
        ObjectNode body = Json.object();
        body.put("collectedAt", UtcTimes.format(collectedAt));
        metricsArray(body, page.items());
        if (latest != null) {
            body.set("pool", SlaJson.pool(latest.pool()));
        }
        body.put("nextToken", page.next() == null ? null
                : request.nextTokenAt(Map.of("collection", UtcTimes.format(collectedAt), "sk", page.next().get("sk"))));
        return ApiResponse.ok(body);
    }

    private ApiResponse liveMetrics(ApiRequest request, int limit, Optional<Map<String, String>> token) {
        SlaWindow window = token.isPresent() ? tokenWindow(token.get()) : requestedWindow(request).orElseThrow();
        Page<RegisteredMiner> miners = collector.minersPage(limit, token.map(t -> Map.of("miner", required(t, "miner"))).orElse(null));
        List<MinerMetrics> metrics = collector.evaluate(miners.items(), window);
        ObjectNode body = Json.object();
        body.putNull("collectedAt");
        body.put("windowStart", UtcTimes.format(window.start()));
        body.put("windowEnd", UtcTimes.format(window.end()));
        metricsArray(body, metrics);
        if (token.isEmpty()) {
            body.set("pool", SlaJson.pool(collector.pool(window)));
        }
        body.put("nextToken", miners.next() == null ? null : request.nextTokenAt(Map.of("miner", miners.next().get("miner"),
                "from", UtcTimes.format(window.start()), "to", UtcTimes.format(window.end()))));
        return ApiResponse.ok(body);
    }

    /** Records a collection over the default window (its audit record first) and announces it; the collector runs it. */
    private ApiResponse collect(ApiRequest request) {
        request.caller().requireAdmin();
        SlaWindow window = collector.defaultWindow();
        String id = SlaCollectionRequests.newId();
        audit.append(request.auditActor(), new AuditChange(AuditTypes.SLA_COLLECTION_REQUESTED, id, null,
                Json.object().put("collectionId", id).put("windowStart", UtcTimes.format(window.start()))
                        .put("windowEnd", UtcTimes.format(window.end()))));
        CollectionRequest requested;
        try {
            requested = requests.request(id, window, request.caller().id());
        } catch (PublishException e) {
            throw new ApiException(503, "UNAVAILABLE", "the collection could not be requested; try again");
        }
        ObjectNode body = collectionRequest(requested);
        return new ApiResponse(202, body, Map.of("Location", body.get("location").asText()));
    }

    private ApiResponse collectionStatus(ApiRequest request) {
        request.caller().requireAdmin();
        String id = request.path("collectionId");
        if (!SlaCollectionRequests.isId(id)) {
            throw ApiException.badRequest("collectionId must be a collection id as POST " + COLLECT + " returns it");
        }
        return ApiResponse.ok(collectionRequest(requests.find(id)
                .orElseThrow(() -> ApiException.notFound("no collection " + id))));
    }

    private static ObjectNode collectionRequest(CollectionRequest r) {
        ObjectNode body = Json.object();
        body.put("collectionId", r.id());
        body.put("status", r.status().name());
        body.put("windowStart", UtcTimes.format(r.window().start()));
        body.put("windowEnd", UtcTimes.format(r.window().end()));
        body.put("requestedAt", UtcTimes.format(r.requestedAt()));
        body.put("requestedBy", r.requestedBy());
        body.put("attempts", r.attempts());
        body.put("startedAt", r.startedAt() == null ? null : UtcTimes.format(r.startedAt()));
        body.put("finishedAt", r.finishedAt() == null ? null : UtcTimes.format(r.finishedAt()));
        body.set("result", r.result());
        body.put("reason", r.reason());
        body.put("location", COLLECT + "/" + r.id());
        return body;
    }

    private ApiResponse violations(ApiRequest request) {
        request.caller().requireAdmin();
        Instant since = request.queryInstant("since").orElse(clock.instant().minus(Duration.ofHours(24)));
        String minerId = request.queryId("minerId").orElse(null);
        SlaMetric metric = request.queryEnum("metric", SlaMetric.class).orElse(null);
        Page<ViolationRecord> page = repository.violations(since, minerId, metric, request.limit(),
                request.nextToken().map(t -> Map.of("sk", required(t, "sk"))).orElse(null));
        return listed(request, "violations", page, SlaJson::violation);
    }

    private ApiResponse snapshots(ApiRequest request) {
        request.caller().requireAdmin();
        Instant to = request.queryInstant("to").orElse(clock.instant());
        Instant from = request.queryInstant("from").orElse(to.minus(Duration.ofHours(24)));
        checkRange(from, to);
        Page<CapacitySnapshot> page = repository.snapshots(from, to, request.limit(),
                request.nextToken().map(t -> Map.of("sk", required(t, "sk"))).orElse(null));
        return listed(request, "snapshots", page, SlaJson::snapshot);
    }

    private ApiResponse forecast(ApiRequest request) {
        request.caller().requireAdmin();
        int hours = request.queryInt("hours", defaultForecastHours, 1, MAX_FORECAST_HOURS);
        CapacityForecast forecast = collector.forecast(hours);
        return ApiResponse.ok(SlaJson.forecast(forecast));
    }

    private ApiResponse recommendations(ApiRequest request) {
        request.caller().requireAdmin();
        ObjectNode body = Json.object();
        body.putArray("recommendations").add(SlaJson.recommendation(collector.recommendation()));
        return ApiResponse.ok(body);
    }

    private static <T> ApiResponse listed(ApiRequest request, String field, Page<T> page, Function<T, ObjectNode> json) {
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray(field);
        page.items().forEach(item -> items.add(json.apply(item)));
        body.put("nextToken", request.nextTokenAt(page.next()));
        return ApiResponse.ok(body);
    }

    private static void metricsArray(ObjectNode body, List<MinerMetrics> metrics) {
        ArrayNode array = body.putArray("miners");
        metrics.forEach(m -> array.add(SlaJson.minerMetrics(m)));
    }

    /** The window the query names with {@code window} or {@code from}+{@code to}, if any. */
    private static boolean onMinute(Instant at) {
        return at.getEpochSecond() % 60 == 0 && at.getNano() == 0;
    }

    private Optional<SlaWindow> requestedWindow(ApiRequest request) {
        Optional<Duration> length = request.queryDuration("window", MAX_RANGE);
        Optional<Instant> from = request.queryInstant("from");
        Optional<Instant> to = request.queryInstant("to");
        if (length.isPresent() && (from.isPresent() || to.isPresent())) {
            throw ApiException.badRequest("give either window or from and to, not both");
        }
        if (length.isPresent()) {
            if (length.get().toSeconds() % 60 != 0 || length.get().toNanosPart() != 0) {
                throw ApiException.badRequest("window must be a whole number of minutes (SLA figures count whole minutes)");
            }
            return Optional.of(SlaWindow.endingAt(clock.instant(), length.get(), collector.grid()));
        }
        if (from.isPresent() != to.isPresent()) {
            throw ApiException.badRequest("from and to go together");
        }
        if (from.isEmpty()) {
            return Optional.empty();
        }
        if (!onMinute(from.get()) || !onMinute(to.get())) {
            throw ApiException.badRequest("from and to must be whole minutes (SLA figures count whole minutes)");
        }
        checkRange(from.get(), to.get());
        return Optional.of(new SlaWindow(from.get(), to.get()));
    }

    private static void checkRange(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw ApiException.badRequest("the range may span at most " + MAX_RANGE.toDays() + " days");
        }
    }

    /** The window a live-metrics token carries, held to the rules of a window asked for. */
    private static SlaWindow tokenWindow(Map<String, String> token) {
        Instant from = tokenInstant(token, "from");
        Instant to = tokenInstant(token, "to");
        if (!from.isBefore(to) || Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new PagePosition.OutsideQuery("the token's window is not one a query may ask for");
        }
        return new SlaWindow(from, to);
    }

    private static String required(Map<String, String> token, String key) {
        String value = token.get(key);
        if (value == null) {
            throw ApiException.badRequest("nextToken is not a token this API issued");
        }
        return value;
    }

    private static Instant tokenInstant(Map<String, String> token, String key) {
        try {
            return Instant.parse(required(token, key));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("nextToken is not a token this API issued");
        }
    }
}
