package com.poolhub.metering.usageapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.analytics.AnomalyDetector;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.config.UsageRetention;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.MissingRateException;
import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.pricing.PricedLine;
import com.poolhub.metering.pricing.PricedUsage;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The usage routes (CONTRACT §3), each for the tenant itself or an admin:
 * {@code GET /usage/{tenant}} (priced lines and totals, paged), {@code GET /usage/{tenant}/trend}
 * (daily cost series by resource) and {@code GET /usage/{tenant}/anomalies} (outlier days; read
 * only: {@link AnomalyScan} announces them); for admins, {@code GET /usage} (the top consumers of a
 * range by cost, {@link TopConsumers}). Money and quantities are decimal strings.
 */
public final class UsageApi {
    private static final Pattern SORT_KEY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z#[A-Z]+#[a-z_]+");

    private final UsageCosts costs;
    private final AnomalyAnalysis analysis;
    private final TopConsumers top;
    private final UsageRetention retention;
    private final Clock clock;
    private final ApiRouter router;

    public UsageApi(UsageCosts costs, UsageTenants tenants, AnomalyDetector detector, UsageRetention retention, Clock clock) {
        this.costs = costs;
        this.retention = retention;
        this.top = new TopConsumers(tenants, costs);
        this.analysis = new AnomalyAnalysis(costs, detector);
        this.clock = clock;
        this.router = new ApiRouter()
                .get("/usage", priced(this::topConsumers))
                .get("/usage/{tenant}", priced(this::usage))
                .get("/usage/{tenant}/trend", priced(this::trend))
                .get("/usage/{tenant}/anomalies", priced(this::anomalies));
    }

    public ApiRouter router() {
        return router;
    }

    private String tenant(ApiRequest request) {
        String tenant = request.pathId("tenant");
        request.caller().requireTenantOrAdmin(tenant);
        return tenant;
    }

    ApiResponse usage(ApiRequest request) {
        String tenant = tenant(request);
        UsageRange range = UsageRange.of(request, costs.pricedFrom(), retention, clock);
        Granularity granularity = range.granularity();
        Instant from = range.from();
        Instant to = range.to();
        int limit = request.limit();
        Optional<String> after = request.nextToken().map(token -> token.get("after"));
        Instant pageStart = after.map(sk -> pageStart(sk, granularity, from, to)).orElse(from);
        UsageCosts.Page page = costs.page(tenant, granularity, from, to, limit, after.orElse(null), pageStart);
        ObjectNode body = Json.object();
        body.put("tenant", tenant);
        body.put("granularity", granularity.name());
        body.put("from", UtcTimes.format(from));
        body.put("to", UtcTimes.format(to));
        body.put("currency", "USD");
        ArrayNode lines = body.putArray("lines");
        for (PricedLine line : page.usage().lines()) {
            ObjectNode l = lines.addObject();
            l.put("windowStart", UtcTimes.format(line.key().windowStart()));
            l.put("windowEnd", UtcTimes.format(line.key().windowEnd()));
            l.put("resource", line.key().resource().name());
            l.put("unit", line.key().unit().wire());
            l.put("quantity", line.quantity().toPlainString());
            l.put("rate", line.unitRate().toPlainString());
            l.put("tier", line.tier());
            l.put("rateEffectiveFrom", UtcTimes.format(line.rateEffectiveFrom()));
            l.put("cost", Money.text(line.cost()));
        }
        ObjectNode totals = body.putObject("totals");
        PricedUsage usage = page.usage();
        totals.put("scope", after.isEmpty() && page.last() == null ? "RANGE" : "PAGE");
        totals.put("usd", Money.text(usage.totalUsd()));
        totals.put("tokens", Money.text(usage.totalTokens()));
        totals.put("usdPerToken", usage.tokenPrice().usdPerToken().toPlainString());
        totals.put("tokenPriceEffectiveFrom", UtcTimes.format(usage.tokenPrice().effectiveFrom()));
        String next = page.last() == null ? null : request.nextTokenAt(Map.of("after", page.last()));
        if (next != null) {
            body.put("nextToken", next);
        } else {
            body.putNull("nextToken");
        }
        return ApiResponse.ok(body);
    }

    ApiResponse topConsumers(ApiRequest request) {
        request.caller().requireAdmin();
        UsageRange range = UsageRange.of(request, costs.pricedFrom(), retention, clock);
        int size = request.queryInt("top", 10, 1, 100);
        TopConsumers.Ranking ranking = top.rank(range, size);
        ObjectNode body = Json.object();
        body.put("granularity", range.granularity().name());
        body.put("from", UtcTimes.format(range.from()));
        body.put("to", UtcTimes.format(range.to()));
        body.put("currency", "USD");
        body.put("top", size);
        body.put("tenantsConsidered", ranking.considered());
        body.put("tenantsWithUsage", ranking.withUsage());
        ArrayNode consumers = body.putArray("consumers");
        for (TopConsumers.Consumer consumer : ranking.consumers()) {
            ObjectNode entry = consumers.addObject();
            entry.put("rank", consumer.rank());
            entry.put("tenant", consumer.tenant());
            entry.put("costUsd", Money.text(consumer.usage().totalUsd()));
            entry.put("costTokens", Money.text(consumer.usage().totalTokens()));
            entry.put("lines", consumer.usage().lines().size());
            ObjectNode breakdown = entry.putObject("byResource");
            consumer.byResource().forEach((resource, cost) -> breakdown.put(resource.name(), Money.text(cost)));
        }
        return ApiResponse.ok(body);
    }

    /** Where a page continues: the start of the window of the sort key {@code sk}, inside {@code [from, to)}. */
    private static Instant pageStart(String sk, Granularity granularity, Instant from, Instant to) {
        Instant start;
        try {
            if (!SORT_KEY.matcher(sk).matches()) {
                throw new DateTimeParseException("not a usage sort key", sk, 0);
            }
            start = Instant.parse(sk.substring(0, 20));
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("nextToken is not a token this API issued");
        }
        if (start.isBefore(from) || !start.isBefore(to) || !granularity.windowStart(start).equals(start)) {
            throw ApiException.badRequest("nextToken belongs to another range; repeat the query without it");
        }
        return start;
    }

    /** A route that prices usage: usage the price book does not cover is the caller's range to change (400). */
    private static ApiRouter.Route priced(ApiRouter.Route route) {
        return request -> {
            try {
                return route.handle(request);
            } catch (MissingRateException e) {
                throw ApiException.badRequest(e.getMessage() + ": the price book does not cover this range");
            }
        };
    }

    ApiResponse trend(ApiRequest request) {
        String tenant = tenant(request);
        int days = request.queryInt("days", 30, 1, 366);
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        List<UsageCosts.DayCost> series = costs.daily(tenant, first, today);
        ObjectNode body = Json.object();
        body.put("tenant", tenant);
        body.put("days", days);
        body.put("from", first.toString());
        body.put("to", today.toString());
        body.put("currency", "USD");
        ArrayNode points = body.putArray("series");
        BigDecimal total = Money.ZERO;
        Map<Resource, BigDecimal> byResource = new EnumMap<>(Resource.class);
        for (UsageCosts.DayCost day : series) {
            ObjectNode point = points.addObject();
            point.put("date", day.day().toString());
            point.put("costUsd", Money.text(day.totalUsd()));
            ObjectNode breakdown = point.putObject("byResource");
            day.byResource().forEach((resource, cost) -> breakdown.put(resource.name(), Money.text(cost)));
            day.byResource().forEach((resource, cost) -> byResource.merge(resource, cost, BigDecimal::add));
            total = total.add(day.totalUsd());
        }
        body.put("totalUsd", Money.text(total));
        ObjectNode breakdown = body.putObject("byResource");
        byResource.forEach((resource, cost) -> breakdown.put(resource.name(), Money.text(cost)));
        return ApiResponse.ok(body);
    }

    ApiResponse anomalies(ApiRequest request) {
        String tenant = tenant(request);
        int days = request.queryInt("days", AnomalyAnalysis.DEFAULT_DAYS, 7, 366);
        LocalDate last = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).minusDays(1);
        AnomalyAnalysis.Result result = analysis.analyse(tenant, last, days);
        AnomalyDetector.Stats stats = result.stats();
        ObjectNode body = Json.object();
        body.put("tenant", tenant);
        body.put("from", result.first().toString());
        body.put("to", last.toString());
        body.put("metric", "dailyCostUsd");
        body.put("daysAnalysed", result.series().size());
        ObjectNode method = body.putObject("method");
        method.put("zScoreThreshold", analysis.detector().zThreshold());
        method.put("iqrMultiplier", analysis.detector().iqrMultiplier());
        ObjectNode statistics = body.putObject("statistics");
        statistics.put("mean", stats.mean());
        statistics.put("standardDeviation", stats.standardDeviation());
        statistics.put("q1", stats.q1());
        statistics.put("median", stats.median());
        statistics.put("q3", stats.q3());
        ArrayNode list = body.putArray("anomalies");
        result.anomalies().forEach(anomaly -> list.add(AnomalyJson.describe(anomaly)));
        return ApiResponse.ok(body);
    }
}
