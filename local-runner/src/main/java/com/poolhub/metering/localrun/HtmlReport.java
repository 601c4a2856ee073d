package com.poolhub.metering.localrun;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulation as one self-contained HTML page: the text report, a cost chart per tenant and hour,
 * the pool's capacity with its forecast band and every miner's error budgets, drawn as inline SVG (no
 * scripts, no CDN).
 */
public final class HtmlReport {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"};

    /** A point of a chart series; doubles only place the point on the drawing. */
    public record Point(Instant at, double value) {
    }

    private HtmlReport() {
    }

    public static String render(Simulation.Result result) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Pool Hub Metering simulation</title>")
                .append("<style>body{font-family:sans-serif;margin:2em;color:#222}pre{background:#f6f6f6;padding:1em;overflow-x:auto}")
                .append("svg{background:#fff;border:1px solid #ddd;margin:1em 0}.legend span{margin-right:1.5em}</style></head><body>")
                .append("<h1>Pool Hub Metering simulation</h1>");
        html.append("<h2 id=\"cost\">Cost per tenant and hour (USD)</h2>");
        html.append(chart("cost-chart", costSeries(result), null));
        html.append("<h2 id=\"capacity\">Pool capacity and forecast</h2>");
        Map<String, List<Point>> capacity = capacitySeries(result);
        if (capacity.isEmpty()) {
            html.append("<p id=\"capacity-absent\">No capacity figures: the SLA functions are not built in this run.</p>");
        } else {
            html.append(chart("capacity-chart", capacity, "forecast"));
        }
        html.append("<h2 id=\"budgets\">Error budget left per miner and objective (%)</h2>");
        html.append(budgetChart(budgets(result)));
        html.append("<h2>Figures</h2><pre id=\"figures\">").append(escape(SimulationReport.text(result))).append("</pre>");
        return html.append("</body></html>").toString();
    }

    static Map<String, List<Point>> costSeries(Simulation.Result result) {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        for (String tenant : result.tenants()) {
            Simulation.Answer usage = result.answers().get("GET /usage/" + tenant);
            if (usage == null || usage.status() != 200) {
                continue;
            }
            Map<Instant, BigDecimal> byHour = new TreeMap<>();
            for (JsonNode line : usage.body().path("lines")) {
                byHour.merge(Instant.parse(line.path("windowStart").asText()), new BigDecimal(line.path("cost").asText()), BigDecimal::add);
            }
            List<Point> points = new ArrayList<>();
            byHour.forEach((at, cost) -> points.add(new Point(at, cost.doubleValue())));
            series.put(tenant, points);
        }
        return series;
    }

    /** One bar of the budget chart: a miner's objective, the share of its budget left, and whether an alert fires. */
    record BudgetBar(String miner, String metric, double remainingPct, boolean alerting) {
    }

    /** Every miner's budgets with the share left, from the answers of {@code GET /sla/budgets/{minerId}}. */
    static List<BudgetBar> budgets(Simulation.Result result) {
        List<BudgetBar> bars = new ArrayList<>();
        for (PoolWorkload.Miner miner : result.miners()) {
            Simulation.Answer answer = result.answers().get("GET /sla/budgets/" + miner.id());
            if (answer == null || answer.status() != 200) {
                continue;
            }
            for (JsonNode budget : answer.body().path("budgets")) {
                if (budget.path("remainingPct").isNull()) {
                    continue;
                }
                String metric = budget.path("metric").asText();
                boolean alerting = false;
                for (JsonNode alert : answer.body().path("alerts")) {
                    alerting |= alert.path("metric").asText().equals(metric) && "FIRING".equals(alert.path("state").asText());
                }
                bars.add(new BudgetBar(miner.id(), metric, new BigDecimal(budget.path("remainingPct").asText()).doubleValue(), alerting));
            }
        }
        return bars;
    }

    /** Horizontal bars from −100 % to 100 % of the budget left (overspent budgets run left, in red; firing alerts marked). */
    static String budgetChart(List<BudgetBar> bars) {
        if (bars.isEmpty()) {
            return "<p id=\"budget-chart-empty\">No budgets: the SLA functions are not built in this run.</p>";
        }
        int width = 900;
        int row = 18;
        int label = 260;
        int zero = label + (width - label - 10) / 2;
        double half = (width - label - 10) / 2.0;
        StringBuilder svg = new StringBuilder(String.format(
                "<svg id=\"budget-chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
                width, bars.size() * row + 30));
        svg.append(String.format("<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", zero, zero, bars.size() * row));
        for (int i = 0; i < bars.size(); i++) {
            BudgetBar bar = bars.get(i);
            double clamped = Math.max(-100, Math.min(100, bar.remainingPct()));
            double length = half * Math.abs(clamped) / 100;
            double x = clamped >= 0 ? zero : zero - length;
            int y = i * row;
            svg.append(String.format(java.util.Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s %s%s</text>",
                    label - 6, y + 13, escape(bar.miner()), escape(bar.metric()), bar.alerting() ? " (alert)" : ""));
            svg.append(String.format(java.util.Locale.ROOT,
                    "<rect class=\"budget\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%.3f %%</title></rect>",
                    x, y + 3, length, row - 6, clamped < 0 ? "#d62728" : "#2ca02c", bar.remainingPct()));
        }
        int axis = bars.size() * row + 20;
        svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">-100 %%</text>", label, axis));
        svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">0</text>", zero, axis));
        svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">100 %%</text>", width - 10, axis));
        return svg.append("</svg>").toString();
    }

    /** Snapshot availability and the forecast's value and bounds, from the SLA API answers. */
    static Map<String, List<Point>> capacitySeries(Simulation.Result result) {
        Map<String, List<Point>> series = new LinkedHashMap<>();
        collect(series, result.answers().get("GET /sla/capacity/snapshots"), "snapshots", List.of("gpusUp", "gpusUsed"));
        collect(series, result.answers().get("GET /sla/capacity/forecast"), "forecast",
                List.of("usedGpus", "usedGpusLower", "usedGpusUpper"));
        series.values().removeIf(List::isEmpty);
        return series;
    }

    private static void collect(Map<String, List<Point>> series, Simulation.Answer answer, String prefix, List<String> fields) {
        if (answer == null || answer.status() != 200) {
            return;
        }
        JsonNode rows = SimulationReport.firstArray(answer.body());
        if (rows == null) {
            return;
        }
        for (JsonNode row : rows) {
            Instant at = null;
            for (String field : List.of("at", "time")) {
                if (row.hasNonNull(field)) {
                    try {
                        at = Instant.parse(row.get(field).asText());
                        break;
                    } catch (RuntimeException ignored) {
                        // not a time: try the next field
                    }
                }
            }
            if (at == null) {
                continue;
            }
            for (String field : fields) {
                JsonNode value = row.get(field);
                if (value != null && !value.isNull() && value.asText().matches("-?\\d+(\\.\\d+)?")) {
                    series.computeIfAbsent(prefix + " " + field, k -> new ArrayList<>())
                            .add(new Point(at, new BigDecimal(value.asText()).doubleValue()));
                }
            }
        }
    }

    /** A line chart of the series over time; series whose name starts with {@code dashedPrefix} are dashed. */
    static String chart(String id, Map<String, List<Point>> series, String dashedPrefix) {
        int width = 900;
        int height = 320;
        int left = 70;
        int bottom = 40;
        List<Point> all = series.values().stream().flatMap(List::stream).toList();
        if (all.isEmpty()) {
            return "<p id=\"" + id + "-empty\">No data.</p>";
        }
        long minT = all.stream().mapToLong(p -> p.at().getEpochSecond()).min().orElse(0);
        long maxT = Math.max(minT + 1, all.stream().mapToLong(p -> p.at().getEpochSecond()).max().orElse(1));
        double maxV = Math.max(1e-9, all.stream().mapToDouble(Point::value).max().orElse(1)) * 1.1;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\">",
                id, width, height));
        svg.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", left, height - bottom, width - 10, height - bottom));
        svg.append(String.format("<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", left, left, height - bottom));
        for (int i = 0; i <= 4; i++) {
            double v = maxV * i / 4;
            int y = (int) (height - bottom - (height - bottom - 10) * i / 4.0);
            svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>", left - 6, y + 4,
                    BigDecimal.valueOf(v).setScale(v < 10 ? 2 : 0, java.math.RoundingMode.HALF_EVEN).toPlainString()));
        }
        svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>", left, height - 12, Instant.ofEpochSecond(minT)));
        svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>", width - 10, height - 12,
                Instant.ofEpochSecond(maxT)));
        int colour = 0;
        StringBuilder legend = new StringBuilder("<div class=\"legend\">");
        for (Map.Entry<String, List<Point>> entry : series.entrySet()) {
            String stroke = COLOURS[colour++ % COLOURS.length];
            StringBuilder points = new StringBuilder();
            for (Point p : entry.getValue()) {
                double x = left + (width - 10 - left) * (p.at().getEpochSecond() - minT) / (double) (maxT - minT);
                double y = height - bottom - (height - bottom - 10) * p.value() / maxV;
                points.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            boolean dashed = dashedPrefix != null && entry.getKey().startsWith(dashedPrefix);
            svg.append(String.format("<polyline class=\"series\" data-series=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>",
                    escape(entry.getKey()), stroke, dashed ? " stroke-dasharray=\"6 4\"" : "", points.toString().trim()));
            legend.append(String.format("<span style=\"color:%s\">&#9632; %s</span>", stroke, escape(entry.getKey())));
        }
        return svg.append("</svg>").append(legend).append("</div>").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
