package com.poolhub.metering.localrun.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.localrun.LocalServer;
import com.poolhub.metering.localrun.LocalSystem;
import com.poolhub.metering.localrun.Simulation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console in a real headless Chromium against {@code serve} with a simulated pool: what a tenant
 * and an operator see is checked figure by figure against the API's own JSON, the roles' limits are
 * tried by editing the address and the requests, the quota editor and the CSV download are used, the
 * forecast band is looked for in the chart's pixels, every control is reached with the keyboard, and
 * a screenshot of every view is written to {@code target/console-screenshots/}. In CI the browser must
 * be there (the run installs it); elsewhere the class is skipped with a message when it is not.
 */
class ConsoleBrowserTest {
    static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+(\\.\\d+)?");
    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalSystem system;
    private static LocalServer server;
    private static HeadlessChromium browser;
    private static Simulation.Result simulated;
    private static String admin;
    private static String tenant;
    private static String tenantKey;
    private static String other;

    @TempDir
    Path downloads;

    @BeforeAll
    static void start() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) {
            assumeTrue(HeadlessChromium.installed(), "skipped: " + HeadlessChromium.BINARY + " is not installed (apt-get install -y chromium)");
        }
        assertTrue(HeadlessChromium.installed(), "CI installs " + HeadlessChromium.BINARY + "; the console's browser tests need it");
        system = LocalSystem.start(Path.of("..", "template.yaml"));
        simulated = new Simulation(system).run(new Simulation.Settings(6, 3, 4, 11L), Instant.now());
        server = LocalServer.start(system, 0);
        admin = system.issueKey("ADMIN", "console-ops");
        tenant = simulated.tenants().get(0);
        other = simulated.tenants().get(1);
        tenantKey = system.issueKey("TENANT", tenant);
        browser = HeadlessChromium.start(1280, 900);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void aTenantSignsIn_andEveryFigureOfItsViewsIsTheApisOwn() throws Exception {
        signIn(tenantKey);
        assertEquals(tenantKey, browser.eval("sessionStorage.getItem('poolhub.console.apiKey')").asText(), "kept in session storage");
        assertEquals("", browser.eval("document.cookie").asText(), "no cookie");
        assertFalse(browser.eval("location.href").asText().contains(tenantKey), "never in the address");
        assertEquals(List.of("live", "costs", "quota", "invoice", "billing"), navTargets(), "a tenant's menu");

        int checked = 0;
        for (String view : List.of("live", "costs", "quota", "invoice", "billing")) {
            open(view);
            int figures = checkFigures(tenantKey);
            assertTrue(figures > 0, view + " shows figures");
            checked += figures;
            shoot("tenant-" + view);
        }
        assertTrue(checked > 60, "figures checked: " + checked);
        open("costs?days=90");
        assertTrue(checkFigures(tenantKey) > 90, "90 days of cost");
        assertTrue(browser.eval("document.querySelectorAll('figure.chart canvas').length").asInt() >= 1, "the trend is drawn");
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void liveUsage_refreshes_andShowsAnEventJustCounted() throws Exception {
        signIn(tenantKey);
        open("live");
        String before = browser.eval("document.querySelector('[data-path=\"totals.usd\"] .num').textContent").asText();
        String refreshed = browser.eval("document.querySelector('[data-refreshed-at]').dataset.refreshedAt").asText();
        String event = "{\"specversion\": \"1.0\", \"id\": \"console-live-" + System.nanoTime() + "\", \"source\": \"//nodes/console-test\","
                + " \"type\": \"compute.usage.v1\", \"subject\": \"" + tenant + "\", \"time\": \"" + Instant.now().minusSeconds(20)
                + "\", \"data\": {\"resource\": \"GPU\", \"unit\": \"compute_seconds\", \"quantity\": \"3600\"}}";
        system.streams().put("UsageEventsStream", List.of(event), List.of(tenant));
        system.streams().drain();
        Thread.sleep(1100);
        browser.eval("document.getElementById('live-refresh').click()");
        browser.await("document.querySelector('[data-refreshed-at]').dataset.refreshedAt !== '" + refreshed + "'", "the refresh");
        String after = browser.eval("document.querySelector('[data-path=\"totals.usd\"] .num').textContent").asText();
        assertFalse(after.equals(before), "an hour of GPU moved the last hour's cost: " + before + " -> " + after);
        assertTrue(checkFigures(tenantKey) > 0);
    }

    @Test
    void aMiner_seesItsOwnSla_only() throws Exception {
        String miner = simulated.miners().get(0).id();
        signIn(system.issueKey("MINER", miner));
        assertEquals(List.of("miner/sla"), navTargets());
        open("miner/sla");
        assertTrue(checkFigures(system.issueKey("MINER", miner)) >= 7);
        shoot("miner-sla");
        open("miner/sla?minerId=" + simulated.miners().get(1).id());
        assertEquals("403", browser.eval("document.querySelector('main .error').dataset.status").asText());
    }

    @Test
    void aTenant_cannotOpenOperatorViewsOrAnotherTenantsData() throws Exception {
        signIn(tenantKey);
        for (String view : List.of("ops/top", "ops/sla", "ops/quotas?tenant=" + other, "costs?tenant=" + other, "invoice?tenant=" + other)) {
            open(view);
            assertEquals(0, browser.eval("document.querySelectorAll('main [data-path]').length").asInt(), view + " shows no data");
            if (!view.startsWith("ops/quotas")) {
                assertEquals("403", browser.eval("document.querySelector('main .error').dataset.status").asText(), view);
            }
        }
        // edited requests: the key the console holds, sent by hand, is refused by the API as well
        for (String route : List.of("../usage/" + other, "../usage?top=5", "../quota/" + other, "../sla/metrics")) {
            int status = browser.eval("fetch('" + route + "', {headers: {Authorization: 'Bearer ' + sessionStorage.getItem('poolhub.console.apiKey')}})"
                    + ".then(r => r.status)").asInt();
            assertEquals(403, status, route);
        }
        int put = browser.eval("fetch('../quota/limits/" + tenant + "', {method: 'PUT', headers: {Authorization: 'Bearer ' + "
                + "sessionStorage.getItem('poolhub.console.apiKey')}, body: JSON.stringify({resource: 'GPU', unit: 'compute_seconds',"
                + " period: 'DAY', limit: '999999999'})}).then(r => r.status)").asInt();
        assertEquals(403, put, "a tenant cannot raise its own limit");
    }

    @Test
    void anOperator_seesEveryOperatorView_withTheApisFigures() throws Exception {
        signIn(admin);
        List<String> menu = navTargets();
        assertEquals(List.of("ops/top", "ops/pool", "ops/sla", "ops/forecast", "ops/quotas", "ops/rejects", "ops/runs",
                "live", "costs", "quota", "invoice", "billing"), menu);
        for (String view : List.of("ops/top", "ops/pool", "ops/sla", "ops/forecast", "ops/rejects", "ops/runs")) {
            open(view);
            assertEquals(0, browser.eval("document.querySelectorAll('main .error').length").asInt(), view + ": "
                    + browser.eval("document.querySelector('main').innerText").asText());
            assertTrue(checkFigures(admin) > 0, view + " shows figures");
            shoot("operator-" + view.substring(4));
        }
        open("ops/top");
        assertEquals(simulated.tenants().size(), browser.eval("document.querySelectorAll('main tbody tr').length").asInt(), "every tenant ranked");
        open("ops/sla?metric=COMPLETION_RATE");
        checkFigures(admin);
        assertTrue(browser.eval("[...document.querySelectorAll('[data-path$=\".metric\"]')].every(e => e.textContent === 'COMPLETION_RATE')").asBoolean());
        open("costs?tenant=" + other);
        assertTrue(checkFigures(admin) > 30, "an admin opens any tenant's views");
        assertEquals(List.of(), browser.problems());
    }

    @Test
    void anOperatorEditsAQuota_andTheApiHasIt_whileABadValueShowsTheApisMessageAtTheField() throws Exception {
        signIn(admin);
        open("ops/quotas?tenant=" + tenant);
        shoot("operator-quotas");
        setField("q-period", "HOUR");
        setField("q-limit", "1234.5");
        setField("q-softLimitPct", "75");
        browser.eval("document.getElementById('quota-save').focus()");
        browser.press("Enter", false);
        browser.await("document.querySelector('#quota-standing [data-path]') && location.hash.includes('saved=')", "the saved limit");
        JsonNode standing = get("/quota/" + tenant, admin);
        boolean found = false;
        for (JsonNode quota : standing.path("quotas")) {
            found |= quota.path("period").asText().equals("HOUR") && quota.path("limit").asText().equals("1234.5")
                    && quota.path("softLimitPct").asText().equals("75") && quota.path("resource").asText().equals("GPU");
        }
        assertTrue(found, standing.toString());
        checkFigures(admin);

        setField("q-limit", "-3");
        browser.eval("document.getElementById('quota-save').click()");
        browser.await("document.getElementById('q-limit-error').textContent !== ''", "the field's error");
        HttpResponse<String> refused = send("PUT", "/quota/limits/" + tenant, admin,
                "{\"resource\": \"GPU\", \"unit\": \"compute_seconds\", \"period\": \"HOUR\", \"limit\": \"-3\", \"hard\": false, \"softLimitPct\": \"75\"}");
        assertEquals(400, refused.statusCode());
        assertEquals(Json.parse(refused.body()).path("error").path("message").asText(),
                browser.eval("document.getElementById('q-limit-error').textContent").asText());
        assertEquals("true", browser.eval("document.getElementById('q-limit').getAttribute('aria-invalid')").asText());
        assertEquals("q-limit", browser.eval("document.activeElement.id").asText(), "focus moves to the field");
        shoot("operator-quotas-error");
    }

    @Test
    void anOperatorReplaysAChosenReject_andOneStillInvalidIsKeptWithItsReason() throws Exception {
        signIn(admin);
        open("ops/rejects?stream=usage-events");
        int listed = browser.eval("document.querySelectorAll('main tbody input[type=checkbox]').length").asInt();
        assertTrue(listed >= 2, "the simulation's two malformed records are kept: " + listed);
        shoot("operator-rejects");
        browser.eval("document.getElementById('reject-0').click()");
        browser.eval("document.getElementById('replay-selected').click()");
        browser.await("document.querySelector('#replay-outcome dl')", "the replay's outcome");
        assertEquals(List.of("0", "1", "0", "0"), outcome(), "replayed, still rejected, failed, not found");
        String day = Instant.now().toString().substring(0, 10);
        assertEquals(listed, get("/rejects/usage-events?day=" + day, admin).path("rejects").size(), "a reject still refused is kept");
        shoot("operator-rejects-replayed");
    }

    private static List<String> outcome() {
        List<String> values = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('#replay-outcome dd .num')].map(e => e.textContent)").forEach(v -> values.add(v.asText()));
        return values;
    }

    @Test
    void theForecastView_drawsTheBand() throws Exception {
        signIn(admin);
        open("ops/forecast");
        browser.await("document.querySelector('#forecast-chart canvas')", "the forecast chart");
        Thread.sleep(200);
        shoot("operator-forecast");
        // the band's translucent fill (rgba(66, 153, 225, 0.2) on the chart's transparent canvas; every line is opaque)
        // lies between the bounds: with a few hours of history the band is narrow, but it is there
        int banded = browser.eval("(() => { const c = document.querySelector('#forecast-chart canvas');"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + " for (let i = 0; i < d.length; i += 4) { if (Math.abs(d[i] - 66) < 12 && Math.abs(d[i + 1] - 153) < 12"
                + " && Math.abs(d[i + 2] - 225) < 12 && d[i + 3] > 30 && d[i + 3] < 80) n++; } return n; })()").asInt();
        int area = browser.eval("(() => { const c = document.querySelector('#forecast-chart canvas'); return c.width * c.height; })()").asInt();
        assertTrue(banded > 300 && banded < area / 2, "band pixels " + banded + " of " + area);
        assertTrue(checkFigures(admin) > 168 * 4, "every forecast point's figures");
    }

    @Test
    void theKeyboardAlone_reachesEveryControl_andOpensAView() throws Exception {
        signIn(admin);
        for (String view : List.of("ops/quotas?tenant=" + tenant, "ops/rejects", "invoice?tenant=" + tenant, "ops/sla")) {
            open(view);
            int controls = browser.eval("(() => { const all = [...document.querySelectorAll('a[href], button, input, select, textarea')]"
                    + ".filter(e => !e.disabled && !e.hidden && e.offsetParent !== null);"
                    + " all.forEach((e, i) => e.dataset.kbd = String(i)); return all.length; })()").asInt();
            assertTrue(controls >= 5, view + " has controls");
            browser.eval("document.activeElement && document.activeElement.blur()");
            Set<String> reached = new LinkedHashSet<>();
            for (int i = 0; i < controls * 2 + 5 && reached.size() < controls; i++) {
                browser.press("Tab", false);
                String at = browser.eval("document.activeElement ? (document.activeElement.dataset.kbd || '') : ''").asText();
                if (!at.isEmpty()) {
                    reached.add(at);
                }
            }
            assertEquals(controls, reached.size(), view + ": reached " + reached);
        }
        // open a view from the menu with Tab and Enter only
        open("ops/top");
        browser.eval("document.getElementById('nav-ops-sla').focus()");
        browser.eval("document.getElementById('view').dataset.before = 'x'");
        browser.press("Enter", false);
        browser.await("location.hash === '#/ops/sla' && document.querySelector('.view-body[data-ready]')", "the SLA view");
    }

    @Test
    void theInvoice_downloadsAsCsv_withTheApisLines() throws Exception {
        signIn(tenantKey);
        browser.downloadTo(downloads);
        open("invoice");
        browser.eval("document.getElementById('invoice-csv').click()");
        Path csv = null;
        for (long deadline = System.nanoTime() + 15_000_000_000L; csv == null && System.nanoTime() < deadline; Thread.sleep(100)) {
            try (var files = Files.list(downloads)) {
                csv = files.filter(f -> f.toString().endsWith(".csv")).findFirst().orElse(null);
            }
        }
        assertTrue(csv != null, "a CSV file was downloaded");
        String month = simulated.to().toString().substring(0, 7);
        JsonNode invoice = get("/invoices/" + tenant + "/" + month, tenantKey);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(invoice.path("lines").size() + 4, lines.size(), String.join("\n", lines));
        for (int i = 0; i < invoice.path("lines").size(); i++) {
            JsonNode line = invoice.path("lines").get(i);
            assertTrue(lines.get(i + 1).endsWith("," + line.path("quantity").asText() + "," + line.path("unitRate").asText() + ","
                    + line.path("tier").asText() + "," + line.path("costUsd").asText()), lines.get(i + 1));
        }
        assertTrue(lines.get(lines.size() - 2).endsWith(",TOTAL_USD,,,,,,," + invoice.path("totalUsd").asText()), lines.toString());
        assertTrue(lines.get(lines.size() - 1).endsWith(",TOTAL_TOKENS,,,,,,," + invoice.path("totalTokens").asText()), lines.toString());
    }

    // ------------------------------------------------------------------ helpers

    private static void signIn(String key) throws InterruptedException {
        browser.navigate(server.url() + "/console/");
        browser.await("document.readyState === 'complete' && document.getElementById('view')", "the console");
        browser.eval("sessionStorage.clear()");
        browser.navigate(server.url() + "/console/");
        browser.await("document.getElementById('api-key')", "the sign-in form");
        browser.eval("document.getElementById('api-key').focus()");
        browser.type(key);
        browser.press("Enter", false);
        browser.await("document.querySelector('#nav a') && document.querySelector('.view-body[data-ready]')", "the first view");
    }

    private static void open(String view) throws InterruptedException {
        // the same address again fires no hashchange: the console is told to route anyway
        browser.eval("(() => { document.getElementById('view').replaceChildren(); const target = '#/" + view + "';"
                + " if (location.hash === target) { window.dispatchEvent(new HashChangeEvent('hashchange')); } else { location.hash = target; }"
                + " return true; })()");
        browser.await("document.querySelector('.view-body[data-ready]')", view);
    }

    private static List<String> navTargets() {
        List<String> targets = new ArrayList<>();
        browser.eval("[...document.querySelectorAll('#nav a')].map(a => a.getAttribute('href').slice(2))")
                .forEach(n -> targets.add(n.asText()));
        return targets;
    }

    private static void setField(String id, String value) {
        browser.eval("(() => { const e = document.getElementById('" + id + "'); e.value = " + Json.mapper().valueToTree(value)
                + "; e.dispatchEvent(new Event('input')); return true; })()");
    }

    private static void shoot(String name) throws IOException {
        browser.screenshot(SCREENSHOTS.resolve(name.replace('/', '-') + ".png"));
    }

    /**
     * Every figure on the page against the API: each section names the request it shows, which is
     * made again here with the same key, and each figure's text must be the answer's value at its path.
     */
    private static int checkFigures(String key) throws Exception {
        JsonNode sections = browser.eval("[...document.querySelectorAll('main [data-source]')].map(s => ({source: s.dataset.source,"
                + " figures: [...s.querySelectorAll('[data-path]')].filter(f => f.closest('[data-source]') === s).map(f => ({path: f.dataset.path,"
                + " time: f.tagName === 'TIME' ? f.getAttribute('datetime') : null,"
                + " text: (f.querySelector('.num') || f).textContent}))}))");
        int checked = 0;
        List<String> wrong = new ArrayList<>();
        for (JsonNode section : sections) {
            String source = section.path("source").asText();
            if (!source.startsWith("/")) {
                continue;
            }
            JsonNode answer = get(source, key);
            for (JsonNode figure : section.path("figures")) {
                if (figure.path("path").asText().endsWith("generatedAt")) {
                    // when the answer was made (a draft invoice is made anew on each request), not a figure of the data
                    continue;
                }
                JsonNode value = at(answer, figure.path("path").asText());
                String expected = value == null || value.isNull() ? "—" : value.asText();
                String time = figure.path("time").asText("");
                String shown = time.isEmpty() ? figure.path("text").asText() : time;
                if (time.isEmpty() && DECIMAL.matcher(expected).matches()) {
                    shown = shown.replace(",", "");
                }
                if (!expected.equals(shown)) {
                    wrong.add(source + " " + figure.path("path").asText() + ": shown " + shown + ", API " + expected);
                }
                checked++;
            }
        }
        assertEquals(List.of(), wrong);
        return checked;
    }

    private static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        Matcher step = STEP.matcher(path);
        while (step.find() && node != null) {
            node = step.group(1) != null ? node.get(step.group(1)) : node.get(Integer.parseInt(step.group(2)));
        }
        return node;
    }

    private static JsonNode get(String route, String key) throws Exception {
        HttpResponse<String> response = send("GET", route, key, null);
        assertEquals(200, response.statusCode(), route + ": " + response.body());
        return Json.parse(response.body());
    }

    private static HttpResponse<String> send(String method, String route, String key, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + route)).header("Authorization", "Bearer " + key)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
