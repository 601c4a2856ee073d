package com.poolhub.metering.sla;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.UtcTimes;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The JSON shape of SLA records, the same in the API, in events and where records are stored as
 * documents: decimals as strings, times as RFC 3339 UTC, absent figures as null.
 */
public final class SlaJson {
    private SlaJson() {
    }

    public static ObjectNode minerMetrics(MinerMetrics m) {
        ObjectNode node = Json.object();
        node.put("minerId", m.minerId());
        window(node, m.windowStart(), m.windowEnd());
        ObjectNode uptime = node.putObject("uptime");
        decimal(uptime, "pct", m.uptimePct());
        uptime.put("upBuckets", m.upBuckets());
        uptime.put("expectedBuckets", m.expectedBuckets());
        ObjectNode response = node.putObject("responseTime");
        response.put("count", m.responses());
        response.put("sumMicros", m.responseSumMicros());
        decimal(response, "meanMs", m.responseMeanMs());
        decimal(response, "p95Ms", m.responseP95Ms());
        decimal(response, "p99Ms", m.responseP99Ms());
        response.put("percentiles", m.percentilesExact() ? "EXACT" : "HISTOGRAM_1PCT");
        ObjectNode completion = node.putObject("completion");
        decimal(completion, "pct", m.completionPct());
        completion.put("succeeded", m.succeeded());
        completion.put("failed", m.failed());
        completion.put("timedOut", m.timedOut());
        ObjectNode capacity = node.putObject("capacity");
        capacity.put("upNow", m.upNow());
        if (m.gpus() == null) {
            capacity.putNull("gpus");
        } else {
            capacity.put("gpus", m.gpus());
        }
        if (m.gpusFree() == null) {
            capacity.putNull("gpusFree");
        } else {
            capacity.put("gpusFree", m.gpusFree());
        }
        capacity.put("upGpuBuckets", m.upGpuBuckets());
        capacity.put("knownGpuBuckets", m.knownGpuBuckets());
        return node;
    }

    public static MinerMetrics minerMetrics(JsonNode n) {
        JsonNode uptime = n.get("uptime");
        JsonNode response = n.get("responseTime");
        JsonNode completion = n.get("completion");
        JsonNode capacity = n.get("capacity");
        return new MinerMetrics(n.get("minerId").asText(), instant(n, "windowStart"), instant(n, "windowEnd"),
                uptime.get("upBuckets").asLong(), uptime.get("expectedBuckets").asLong(), decimal(uptime, "pct"),
                response.get("count").asLong(), response.get("sumMicros").asLong(), decimal(response, "meanMs"),
                decimal(response, "p95Ms"), decimal(response, "p99Ms"), "EXACT".equals(response.get("percentiles").asText()),
                completion.get("succeeded").asLong(), completion.get("failed").asLong(), completion.get("timedOut").asLong(),
                decimal(completion, "pct"), capacity.get("upNow").asBoolean(), integer(capacity, "gpus"),
                integer(capacity, "gpusFree"), capacity.get("upGpuBuckets").asLong(), capacity.get("knownGpuBuckets").asLong());
    }

    public static ObjectNode pool(PoolMetrics p) {
        ObjectNode node = Json.object();
        window(node, p.windowStart(), p.windowEnd());
        node.put("miners", p.miners());
        node.put("minersUp", p.minersUp());
        node.put("gpusTotal", p.gpusTotal());
        node.put("gpusUp", p.gpusUp());
        node.put("gpusUsed", p.gpusUsed());
        node.put("upGpuBuckets", p.upGpuBuckets());
        node.put("knownGpuBuckets", p.knownGpuBuckets());
        decimal(node, "capacityAvailabilityPct", p.capacityAvailabilityPct());
        decimal(node, "utilisationPct", p.utilisationPct());
        return node;
    }

    public static PoolMetrics pool(JsonNode n) {
        return new PoolMetrics(instant(n, "windowStart"), instant(n, "windowEnd"), n.get("miners").asLong(),
                n.get("minersUp").asLong(), n.get("gpusTotal").asLong(), n.get("gpusUp").asLong(), n.get("gpusUsed").asLong(),
                n.get("upGpuBuckets").asLong(), n.get("knownGpuBuckets").asLong(), decimal(n, "capacityAvailabilityPct"),
                decimal(n, "utilisationPct"));
    }

    public static ObjectNode violation(ViolationRecord record) {
        Violation v = record.violation();
        ObjectNode node = Json.object();
        node.put("collectedAt", UtcTimes.format(record.collectedAt()));
        window(node, record.window().start(), record.window().end());
        node.put("subjectType", v.isPool() ? "POOL" : "MINER");
        if (v.isPool()) {
            node.putNull("minerId");
        } else {
            node.put("minerId", v.subject());
        }
        node.put("metric", v.metric().name());
        decimal(node, "value", v.value());
        decimal(node, "threshold", v.threshold());
        return node;
    }

    public static ViolationRecord violation(JsonNode n) {
        SlaMetric metric = SlaMetric.valueOf(n.get("metric").asText());
        String subject = metric == SlaMetric.CAPACITY ? Violation.POOL : n.get("minerId").asText();
        return new ViolationRecord(instant(n, "collectedAt"), new SlaWindow(instant(n, "windowStart"), instant(n, "windowEnd")),
                new Violation(subject, metric, decimal(n, "value"), decimal(n, "threshold")));
    }

    public static ObjectNode snapshot(CapacitySnapshot s) {
        ObjectNode node = Json.object();
        node.put("at", UtcTimes.format(s.at()));
        node.put("miners", s.miners());
        node.put("minersUp", s.minersUp());
        node.put("gpusTotal", s.gpusTotal());
        node.put("gpusUp", s.gpusUp());
        node.put("gpusUsed", s.gpusUsed());
        decimal(node, "utilisationPct", s.utilisationPct());
        decimal(node, "capacityAvailabilityPct", s.capacityAvailabilityPct());
        return node;
    }

    public static CapacitySnapshot snapshot(JsonNode n) {
        return new CapacitySnapshot(instant(n, "at"), n.get("miners").asLong(), n.get("minersUp").asLong(),
                n.get("gpusTotal").asLong(), n.get("gpusUp").asLong(), n.get("gpusUsed").asLong(),
                decimal(n, "utilisationPct"), decimal(n, "capacityAvailabilityPct"));
    }

    public static ObjectNode recommendation(Recommendation r) {
        ObjectNode node = Json.object();
        node.put("generatedAt", UtcTimes.format(r.generatedAt()));
        node.put("action", r.action().name());
        node.put("gpus", r.gpus());
        node.put("reason", r.reason());
        decimal(node, "peakUtilisationPct", r.peakUtilisationPct());
        if (r.peakAt() == null) {
            node.putNull("peakAt");
        } else {
            node.put("peakAt", UtcTimes.format(r.peakAt()));
        }
        node.put("capacityGpus", r.capacityGpus());
        node.put("method", r.method());
        if (r.confidence() == null) {
            node.putNull("confidence");
        } else {
            node.put("confidence", r.confidence().name());
        }
        return node;
    }

    public static Recommendation recommendation(JsonNode n) {
        return new Recommendation(instant(n, "generatedAt"), RecommendationAction.valueOf(n.get("action").asText()),
                n.get("gpus").asLong(), n.get("reason").asText(), decimal(n, "peakUtilisationPct"),
                n.hasNonNull("peakAt") ? instant(n, "peakAt") : null, n.get("capacityGpus").asLong(), n.get("method").asText(),
                n.hasNonNull("confidence") ? ForecastConfidence.valueOf(n.get("confidence").asText()) : null);
    }

    public static ObjectNode forecast(CapacityForecast f) {
        ObjectNode node = Json.object();
        node.put("generatedAt", UtcTimes.format(f.generatedAt()));
        node.put("method", f.method());
        node.put("historyHours", f.historyHours());
        node.put("capacityGpus", f.capacityGpus());
        node.put("interval", "95%");
        decimal(node, "damping", f.damping());
        node.put("confidence", f.confidence().name());
        node.set("backtest", backtest(f.backtest()));
        var points = node.putArray("points");
        for (CapacityForecast.Point p : f.points()) {
            ObjectNode point = points.addObject();
            point.put("time", UtcTimes.format(p.time()));
            decimal(point, "usedGpus", p.usedGpus());
            decimal(point, "usedGpusLower", p.usedGpusLower());
            decimal(point, "usedGpusUpper", p.usedGpusUpper());
            decimal(point, "utilisationPct", p.utilisationPct());
            decimal(point, "utilisationPctLower", p.utilisationPctLower());
            decimal(point, "utilisationPctUpper", p.utilisationPctUpper());
        }
        return node;
    }

    private static JsonNode backtest(ForecastBacktest backtest) {
        if (backtest == null) {
            return NullNode.getInstance();
        }
        ObjectNode node = Json.object();
        node.put("holdoutHours", backtest.holdoutHours());
        decimal(node, "mapePct", backtest.mapePct());
        decimal(node, "coveragePct", backtest.coveragePct());
        var candidates = node.putArray("candidates");
        for (ForecastBacktest.Candidate candidate : backtest.candidates()) {
            ObjectNode c = candidates.addObject();
            c.put("method", candidate.model().name());
            decimal(c, "mapePct", candidate.mapePct());
            decimal(c, "coveragePct", candidate.coveragePct());
            decimal(c, "maeGpus", candidate.maeGpus());
        }
        return node;
    }

    /** A burn-rate alert episode: the {@code SlaBurnRateAlert} detail and the stored document. */
    public static ObjectNode burnRateAlert(BurnRateAlert alert) {
        ObjectNode node = Json.object();
        node.put("episodeId", alert.episodeId());
        node.put("minerId", alert.minerId());
        node.put("metric", alert.metric().name());
        node.put("rule", alert.rule().name());
        node.put("severity", alert.rule().severity().name());
        node.put("state", alert.state().name());
        decimal(node, "targetPct", alert.targetPct());
        decimal(node, "burnRateThreshold", alert.rule().factor());
        node.put("longWindow", alert.rule().longWindow().toString());
        node.put("shortWindow", alert.rule().shortWindow().toString());
        decimal(node, "longBurnRate", alert.longBurnRate());
        decimal(node, "shortBurnRate", alert.shortBurnRate());
        node.put("openedAt", UtcTimes.format(alert.openedAt()));
        node.put("resolvedAt", alert.resolvedAt() == null ? null : UtcTimes.format(alert.resolvedAt()));
        return node;
    }

    /** A stored episode ({@code pending} is kept beside the document). */
    public static BurnRateAlert burnRateAlert(JsonNode n, boolean pending) {
        return new BurnRateAlert(n.get("episodeId").asText(), n.get("minerId").asText(), SlaMetric.valueOf(n.get("metric").asText()),
                BurnRateRule.valueOf(n.get("rule").asText()), BurnRateAlert.State.valueOf(n.get("state").asText()),
                instant(n, "openedAt"), n.hasNonNull("resolvedAt") ? instant(n, "resolvedAt") : null, decimal(n, "targetPct"),
                decimal(n, "longBurnRate"), decimal(n, "shortBurnRate"), pending);
    }

    /** The body of {@code GET /sla/budgets/{minerId}}. */
    public static ObjectNode budgets(MinerBudgets b) {
        ObjectNode node = Json.object();
        node.put("minerId", b.minerId());
        node.put("at", UtcTimes.format(b.at()));
        node.put("periodDays", b.slo().periodDays());
        var budgets = node.putArray("budgets");
        for (ErrorBudget budget : b.budgets()) {
            ObjectNode item = budgets.addObject();
            item.put("metric", budget.metric().name());
            decimal(item, "targetPct", budget.targetPct());
            window(item, budget.periodStart(), budget.periodEnd());
            item.put("good", budget.count().good());
            item.put("total", budget.count().total());
            item.put("bad", budget.count().bad());
            decimal(item, "allowedBad", budget.allowedBad());
            decimal(item, "remainingBad", budget.remainingBad());
            decimal(item, "remainingPct", budget.remainingPct());
            decimal(item, "burnRate", budget.burnRate());
        }
        var rates = node.putArray("burnRates");
        for (BurnRateStatus status : b.burnRates()) {
            ObjectNode item = rates.addObject();
            item.put("metric", status.metric().name());
            item.put("rule", status.rule().name());
            item.put("severity", status.rule().severity().name());
            decimal(item, "burnRateThreshold", status.rule().factor());
            item.put("longWindow", status.rule().longWindow().toString());
            decimal(item, "longBurnRate", status.longBurnRate());
            item.put("shortWindow", status.rule().shortWindow().toString());
            decimal(item, "shortBurnRate", status.shortBurnRate());
            item.put("firing", status.firing());
        }
        var alerts = node.putArray("alerts");
        b.alerts().forEach(alert -> alerts.add(burnRateAlert(alert)));
        return node;
    }

    /** The counts a collection reports (also the body of {@code POST /sla/metrics/collect}). */
    public static ObjectNode collection(CollectionResult result) {
        ObjectNode body = Json.object();
        body.put("collectedAt", UtcTimes.format(result.collectedAt()));
        body.put("windowStart", UtcTimes.format(result.window().start()));
        body.put("windowEnd", UtcTimes.format(result.window().end()));
        body.put("miners", result.miners());
        body.put("violations", result.violations());
        body.put("newViolations", result.newViolations());
        body.put("eventsPublished", result.published());
        body.put("eventsUnpublished", result.publishFailed());
        body.set("pool", pool(result.pool()));
        body.set("recommendation", recommendation(result.recommendation()));
        return body;
    }

    private static void window(ObjectNode node, Instant start, Instant end) {
        node.put("windowStart", UtcTimes.format(start));
        node.put("windowEnd", UtcTimes.format(end));
    }

    private static void decimal(ObjectNode node, String field, BigDecimal value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.toPlainString());
        }
    }

    private static BigDecimal decimal(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : new BigDecimal(value.asText());
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asInt();
    }

    private static Instant instant(JsonNode node, String field) {
        return Instant.parse(node.get(field).asText());
    }
}
