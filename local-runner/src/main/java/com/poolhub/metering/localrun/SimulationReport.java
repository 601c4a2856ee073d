package com.poolhub.metering.localrun;

import com.fasterxml.jackson.databind.JsonNode;
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
        out.append(String.format("%nSchedules fired:%n"));
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

        section(out, r, "SLA metrics (GET /sla/metrics, admin key)", "GET /sla/metrics");
        section(out, r, "SLA violations (GET /sla/violations)", "GET /sla/violations");
        section(out, r, "Capacity forecast (GET /sla/capacity/forecast?hours=24)", "GET /sla/capacity/forecast");
        section(out, r, "Capacity recommendations (GET /sla/capacity/recommendations)", "GET /sla/capacity/recommendations");
        section(out, r, "Billing sync status (GET /sla/billing/usage)", "GET /sla/billing/usage");
        out.append(String.format("%nInvoices (GET /invoices/{tenant}/{month}):%n"));
        for (String tenant : r.tenants()) {
            Simulation.Answer invoice = r.answers().get("GET /invoices/" + tenant + "/" + r.from().toString().substring(0, 7));
            if (invoice == null) {
                invoice = r.answers().entrySet().stream().filter(e -> e.getKey().startsWith("GET /invoices/" + tenant + "/"))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
            }
            out.append(String.format("  %-10s %s%n", tenant, invoice != null && invoice.status() == 200
                    ? abbreviate(invoice.body().toString(), 160) : status(invoice)));
        }

        out.append(String.format("%nAccess checks: tenant key on another tenant's usage -> %s; no key -> %s%n",
                status(r.answers().entrySet().stream().filter(e -> e.getKey().startsWith("GET#cross-tenant"))
                        .map(Map.Entry::getValue).findFirst().orElse(null)),
                status(r.answers().entrySet().stream().filter(e -> e.getKey().startsWith("GET#no-key"))
                        .map(Map.Entry::getValue).findFirst().orElse(null))));
        out.append(String.format("Events published on the bus: %s%n", r.published().isEmpty() ? "none" : new TreeMap<>(r.published())));
        out.append(String.format("Simulated in %.1f s%n", r.elapsed().toMillis() / 1000.0));
        return out.toString();
    }

    private static void section(StringBuilder out, Simulation.Result r, String title, String key) {
        out.append(String.format("%n%s:%n", title));
        Simulation.Answer answer = r.answers().get(key);
        if (answer == null || answer.status() != 200) {
            out.append("  ").append(status(answer)).append(System.lineSeparator());
            return;
        }
        JsonNode body = answer.body();
        JsonNode rows = firstArray(body);
        if (rows == null) {
            out.append("  ").append(abbreviate(body.toString(), 400)).append(System.lineSeparator());
            return;
        }
        int shown = 0;
        for (JsonNode row : rows) {
            if (shown++ == 15) {
                out.append(String.format("  ... %d more%n", rows.size() - 15));
                break;
            }
            out.append("  ").append(abbreviate(flat(row), 170)).append(System.lineSeparator());
        }
        Iterator<Map.Entry<String, JsonNode>> fields = body.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isArray()) {
                out.append("  ").append(field.getKey()).append(": ").append(abbreviate(field.getValue().toString(), 160))
                        .append(System.lineSeparator());
            }
        }
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
