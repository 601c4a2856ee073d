package com.poolhub.metering.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.poolhub.metering.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report opened in a real headless browser (Debian {@code chromium}); skipped where it is not installed. */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    @Test
    void report_rendersBothChartsInHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)");
        Path html = dir.resolve("report.html");
        Files.writeString(html, HtmlReport.render(result()), StandardCharsets.UTF_8);
        Path png = dir.resolve("report.png");

        String dom = run(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", html.toUri().toString()));
        run(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400",
                "--screenshot=" + png, html.toUri().toString()));

        assertTrue(dom.contains("<svg id=\"cost-chart\""), dom);
        assertTrue(dom.contains("<svg id=\"capacity-chart\""), dom);
        assertEquals(5, dom.split("<polyline", -1).length - 1, "two tenants' costs and three forecast lines");
        assertTrue(Files.size(png) > 10_000, "screenshot of the rendered page");
    }

    @Test
    void report_isSelfContained() {
        String html = HtmlReport.render(result());

        assertTrue(html.contains("<svg id=\"cost-chart\""));
        assertTrue(!html.contains("<script") && !html.contains("http://cdn") && !html.contains("https://"));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "chromium did not finish");
        return new String(out, StandardCharsets.UTF_8);
    }

    static Simulation.Result result() {
        Instant t0 = Instant.parse("2026-11-22T00:00:00Z");
        Map<String, Simulation.Answer> answers = new LinkedHashMap<>();
        for (String tenant : List.of("acme", "globex")) {
            var body = Json.object();
            var lines = body.putArray("lines");
            for (int h = 0; h < 4; h++) {
                lines.addObject().put("windowStart", t0.plus(Duration.ofHours(h)).toString()).put("resource", "GPU")
                        .put("quantity", "3600").put("cost", tenant.equals("acme") ? "1." + h + "00000" : "0.5" + h + "0000");
            }
            body.putObject("totals").put("usd", "4.600000").put("tokens", "18.400000");
            answers.put("GET /usage/" + tenant, new Simulation.Answer("GET /usage/" + tenant, 200, body));
        }
        var forecast = Json.object().put("method", "HOLT_LINEAR").put("historyHours", 4).put("capacityGpus", 20);
        var points = forecast.putArray("points");
        for (int h = 4; h < 8; h++) {
            points.addObject().put("time", t0.plus(Duration.ofHours(h)).toString()).put("usedGpus", "10." + h)
                    .put("usedGpusLower", "8").put("usedGpusUpper", "1" + h).put("utilisationPct", "50");
        }
        answers.put("GET /sla/capacity/forecast", new Simulation.Answer("GET /sla/capacity/forecast", 200, forecast));
        return new Simulation.Result(new Simulation.Settings(2, 2, 4, 1), t0, t0.plus(Duration.ofHours(4)), 10, 20, 1, 2, 5, 1,
                30, 3, List.of("UsageIngestFunction"), Map.of(), Map.of(), answers, Map.of(), List.of(), List.of("acme", "globex"),
                4, Duration.ofSeconds(1));
    }
}
