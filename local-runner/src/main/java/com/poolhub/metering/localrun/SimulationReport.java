package com.poolhub.metering.localrun;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** The simulation's figures as text tables, read from the API answers the simulation kept. */
public final class SimulationReport {
    private SimulationReport() {
    }

    public static String text(Simulation.Result r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("Pool Hub Metering simulation: %d miners, %d tenants, %d hours (%s to %s), seed %d%n",
                r.settings().miners(), r.settings().tenants(), r.settings().hours(), r.from(), r.to(), r.settings().seed()));
        out.append(String.format("functions running: %s%n", String.join(", ", r.running())));
        r.absent().forEach((f, why) -> out.append(String.format("  absent: %s (%s)%n", f, why)));
        out.append(String.format("%nIngest: %d usage events (+%d resent, %d malformed), %d telemetry events, %d jobs (%d failed or timed out);"
                        + " %d records delivered in %d Lambda invocations%n",
                r.usageEvents(), r.resent(), r.malformed(), r.telemetryEvents(), r.jobs(), r.failedJobs(), r.delivered(), r.invocations()));
        out.append(String.format("SLA collections on the simulated clock (one per simulated hour): %d%n", r.collections()));
        out.append(String.format("%nSchedules fired at the end:%n"));
        r.schedules().forEach((rule, answer) -> out.append(String.format("  %-44s %s%n", rule, abbreviate(answer, 110))));

        out.append(String.format("%nUsage and cost per tenant (GET /usage/{tenant}?granularity=HOUR, tenant keys):%n"));
        out.append(String.format("  %-10s %6s %14s %16s %14s%n", "tenant", "lines", "GPU seconds", "cost USD", "tokens"));
        for (String tenant : r.tenants()) {
            Simulation.Answer usage = r.answers().get("GET /usage/" + tenant);
            if (usage == null || usage.status() != 200) {
                out.append(String.format("  %-10s %s%n", tenant, status(usage)));
                continue;
            }
            BigDecimal gpu = BigDecimal.ZERO;
            for (JsonNode line : usage.body().path("lines")) {
                if ("GPU".equals(line.path("resource").asText())) {
                    gpu = gpu.add(new BigDecimal(line.path("quantity").asText()));
                }
            }
            out.append(String.format("  %-10s %6d %14s %16s %14s%n", tenant, usage.body().path("lines").size(),
                    gpu.toPlainString(), usage.body().path("totals").path("usd").asText(),
                    usage.body().path("totals").path("tokens").asText()));
        }

        out.append(String.format("%nQuotas (GET /quota/{tenant}):%n"));
        for (String tenant : r.tenants()) {
            Simulation.Answer quota = r.answers().get("GET /quota/" + tenant);
            if (quota == null || quota.status() != 200) {
                out.append(String.format("  %-10s %s%n", tenant, status(quota)));
                continue;
            }
            for (JsonNode q : quota.body().path("quotas")) {
                out.append(String.format("  %-10s %s %s per %s: used %s of %s, remaining %s, %s, resets %s%n", tenant,
                        q.path("resource").asText(), q.path("unit").asText(), q.path("period").asText(), q.path("used").asText(),
                        q.path("limit").asText(), q.path("remaining").asText(), q.path("status").asText(), q.path("resetAt").asText()));
            }
        }

        sla(out, r);
        budgets(out, r);
        billing(out, r);
        out.append(String.format("%nAccess checks: tenant key on another tenant's usage -> %s; no key -> %s%n",
                status(r.answers().entrySet().stream().filter(e -> e.getKey().startsWith("GET#cross-tenant"))
                        .map(Map.Entry::getValue).findFirst().orElse(null)),
                status(r.answers().entrySet().stream().filter(e -> e.getKey().startsWith("GET#no-key"))
                        .map(Map.Entry::getValue).findFirst().orElse(null))));
        out.append(String.format("Events published on the bus: %s%n", r.published().isEmpty() ? "none" : new TreeMap<>(r.published())));
        out.append(String.format("Simulated in %.1f s%n", r.elapsed().toMillis() / 1000.0));
        return out.toString();
    }

    private static void sla(StringBuilder out, Simulation.Result r) {
        Simulation.Answer metrics = r.answers().get("GET /sla/metrics");
        out.append(String.format("%nSLA per miner, last 24 h (GET /sla/metrics, admin key):%n"));
        if (metrics == null || metrics.status() != 200) {
            out.append("  ").append(status(metrics)).append(System.lineSeparator());
            return;
        }
        out.append(String.format("  %-12s %5s %9s %10s %9s %9s %11s %s%n", "miner", "gpus", "uptime %", "resp mean", "p95 ms",
                "p99 ms", "complete %", "jobs ok/failed/timed out"));
        for (JsonNode m : metrics.body().path("miners")) {
            JsonNode rt = m.path("responseTime");
            JsonNode c = m.path("completion");
            out.append(String.format("  %-12s %5s %9s %10s %9s %9s %11s %s/%s/%s%n", m.path("minerId").asText(),
                    m.path("capacity").path("gpus").asText(), m.path("uptime").path("pct").asText(), rt.path("meanMs").asText(),
                    rt.path("p95Ms").asText(), rt.path("p99Ms").asText(), c.path("pct").asText(), c.path("succeeded").asText(),
                    c.path("failed").asText(), c.path("timedOut").asText()));
        }
        out.append("  pool: ").append(flat(metrics.body().path("pool"))).append(System.lineSeparator());

        Simulation.Answer violations = r.answers().get("GET /sla/violations");
        out.append(String.format("%nSLA violations (GET /sla/violations), latest value per miner and metric:%n"));
        if (violations == null || violations.status() != 200) {
            out.append("  ").append(status(violations)).append(System.lineSeparator());
        } else {
            Map<String, JsonNode> latest = new TreeMap<>();
            Map<String, Integer> collections = new TreeMap<>();
            for (JsonNode v : violations.body().path("violations")) {
                String key = v.path("metric").asText() + " " + (v.path("minerId").isNull() ? "pool" : v.path("minerId").asText());
                collections.merge(key, 1, Integer::sum);
                JsonNode seen = latest.get(key);
                if (seen == null || seen.path("collectedAt").asText().compareTo(v.path("collectedAt").asText()) < 0) {
                    latest.put(key, v);
                }
            }
            latest.forEach((key, v) -> out.append(String.format("  %-32s value %10s threshold %6s  (in %d collections)%n", key,
                    v.path("value").asText(), v.path("threshold").asText(), collections.get(key))));
            if (latest.isEmpty()) {
                out.append("  none").append(System.lineSeparator());
            }
        }

        Simulation.Answer forecast = r.answers().get("GET /sla/capacity/forecast");
        out.append(String.format("%nCapacity forecast (GET /sla/capacity/forecast):%n"));
        if (forecast == null || forecast.status() != 200) {
            out.append("  ").append(status(forecast)).append(System.lineSeparator());
        } else {
            JsonNode f = forecast.body();
            out.append(String.format("  method %s, %s hours of history, %s GPUs up now, interval %s%n", f.path("method").asText(),
                    f.path("historyHours").asText(), f.path("capacityGpus").asText(), f.path("interval").asText()));
            JsonNode backtest = f.path("backtest");
            out.append(backtest.isObject()
                    ? String.format("  damping %s; backtest over the last %s hours: MAPE %s %%, %s %% inside the band; confidence %s%n",
                            f.path("damping").asText(), backtest.path("holdoutHours").asText(), backtest.path("mapePct").asText(),
                            backtest.path("coveragePct").asText(), f.path("confidence").asText())
                    : String.format("  no backtest (too little history); confidence %s%n", f.path("confidence").asText()));
            JsonNode points = f.path("points");
            for (int i = 0; i < points.size(); i += Math.max(1, points.size() / 8)) {
                JsonNode p = points.get(i);
                out.append(String.format("  %s  used GPUs %8s [%s, %s]  utilisation %7s%%%n", p.path("time").asText(),
                        p.path("usedGpus").asText(), p.path("usedGpusLower").asText(), p.path("usedGpusUpper").asText(),
                        p.path("utilisationPct").asText()));
            }
        }
        Simulation.Answer recommendation = r.answers().get("GET /sla/capacity/recommendations");
        out.append(String.format("%nCapacity recommendation (GET /sla/capacity/recommendations):%n"));
        if (recommendation == null || recommendation.status() != 200) {
            out.append("  ").append(status(recommendation)).append(System.lineSeparator());
        } else {
            JsonNode rec = recommendation.body().has("action") ? recommendation.body() : firstOrSelf(recommendation.body());
            out.append(String.format("  %s %s GPUs: %s%n", rec.path("action").asText(), rec.path("gpus").asText(), rec.path("reason").asText()));
        }
    }

    private static void budgets(StringBuilder out, Simulation.Result r) {
        out.append(String.format("%nError budgets and burn-rate alerts (GET /sla/budgets/{minerId}):%n"));
        out.append(String.format("  %-12s %-20s %10s %10s %9s  %s%n", "miner", "objective", "budget", "left %", "burn",
                "alerts (rule state)"));
        for (PoolWorkload.Miner miner : r.miners()) {
            Simulation.Answer answer = r.answers().get("GET /sla/budgets/" + miner.id());
            if (answer == null || answer.status() != 200) {
                out.append(String.format("  %-12s %s%n", miner.id(), status(answer)));
                continue;
            }
            for (JsonNode budget : answer.body().path("budgets")) {
                String metric = budget.path("metric").asText();
                StringBuilder alerts = new StringBuilder();
                for (JsonNode alert : answer.body().path("alerts")) {
                    if (alert.path("metric").asText().equals(metric)) {
                        alerts.append(alert.path("rule").asText()).append(' ').append(alert.path("state").asText()).append("; ");
                    }
                }
                out.append(String.format("  %-12s %-20s %10s %10s %9s  %s%n", miner.id(), metric + " " + budget.path("targetPct").asText()
                        + "%", budget.path("allowedBad").asText(), budget.path("remainingPct").asText(), budget.path("burnRate").asText(),
                        alerts.length() == 0 ? "none" : alerts.substring(0, alerts.length() - 2)));
            }
        }
    }

    private static void billing(StringBuilder out, Simulation.Result r) {
        String first = r.tenants().get(0);
        Simulation.Answer usage = r.answers().get("GET /sla/billing/usage");
        out.append(String.format("%nBilling records pushed to the coordinator for %s (GET /sla/billing/usage, admin key):%n", first));
        if (usage == null || usage.status() != 200) {
            out.append("  ").append(status(usage)).append(System.lineSeparator());
        } else {
            Map<String, BigDecimal> quantities = new TreeMap<>();
            Map<String, Integer> statuses = new TreeMap<>();
            JsonNode rows = firstArray(usage.body());
            for (JsonNode row : rows == null ? Json.mapper().createArrayNode() : rows) {
                quantities.merge(row.path("metric").asText(), new BigDecimal(row.path("quantity").asText("0")), BigDecimal::add);
                statuses.merge(row.path("status").asText(), 1, Integer::sum);
            }
            out.append(String.format("  %d hourly records, by status %s; totals %s%n", rows == null ? 0 : rows.size(), statuses, quantities));
        }
        out.append(String.format("%nInvoices (GET /invoices/{tenant}/{month}, tenant keys):%n"));
        for (String tenant : r.tenants()) {
            Simulation.Answer invoice = r.answers().entrySet().stream()
                    .filter(e -> e.getKey().startsWith("GET /invoices/" + tenant + "/")).map(Map.Entry::getValue).findFirst().orElse(null);
            if (invoice == null || invoice.status() != 200) {
                out.append(String.format("  %-10s %s%n", tenant, status(invoice)));
                continue;
            }
            JsonNode body = invoice.body();
            out.append(String.format("  %-18s %-6s %2d lines  total %12s USD  %12s tokens  adjustments %s USD%n",
                    body.path("invoiceId").asText(), body.path("status").asText(), body.path("lines").size(),
                    body.path("totalUsd").asText(), body.path("totalTokens").asText(), body.path("adjustmentsUsd").asText()));
        }
    }

    private static JsonNode firstOrSelf(JsonNode body) {
        JsonNode rows = firstArray(body);
        return rows != null && rows.size() > 0 ? rows.get(0) : body;
    }

    static JsonNode firstArray(JsonNode body) {
        Iterator<JsonNode> values = body.elements();
        while (values.hasNext()) {
            JsonNode value = values.next();
            if (value.isArray()) {
                return value;
            }
        }
        return null;
    }

    private static String flat(JsonNode row) {
        if (!row.isObject()) {
            return row.toString();
        }
        StringBuilder text = new StringBuilder();
        row.fields().forEachRemaining(f -> text.append(f.getKey()).append('=')
                .append(f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()).append(' '));
        return text.toString().trim();
    }

    private static String status(Simulation.Answer answer) {
        if (answer == null) {
            return "not called";
        }
        String code = answer.body().path("error").path("code").asText(answer.body().path("message").asText(""));
        return answer.status() + (code.isEmpty() ? "" : " " + code);
    }

    static String abbreviate(String text, int max) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= max ? oneLine : oneLine.substring(0, max - 3) + "...";
    }
}
