package com.poolhub.metering.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The simulation through the real functions of the template, on the local DynamoDB emulator. */
class SimulationTest {
    private static final Simulation.Settings SETTINGS = new Simulation.Settings(6, 3, 6, 11L);
    private static final Instant NOW = Instant.now();
    private static LocalSystem system;
    private static Simulation.Result result;

    @BeforeAll
    static void simulate() {
        system = LocalSystem.start(Path.of("..", "template.yaml"));
        result = new Simulation(system).run(SETTINGS, NOW);
        System.out.println(SimulationReport.text(result));
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    @Test
    void usageReadThroughTheApi_equalsWhatThePoolUsed_resendsCountedOnce() {
        PoolWorkload workload = new PoolWorkload(SETTINGS.seed(), SETTINGS.miners(), SETTINGS.tenants(),
                NOW.minus(Duration.ofHours(SETTINGS.hours())), Duration.ofSeconds(60));
        Map<String, BigDecimal> expected = new TreeMap<>();
        for (int h = 0; h < SETTINGS.hours(); h++) {
            for (ObjectNode event : workload.hour(h).usage()) {
                if ("GPU".equals(event.path("data").path("resource").asText())) {
                    expected.merge(event.path("subject").asText(), new BigDecimal(event.path("data").path("quantity").asText()), BigDecimal::add);
                }
            }
        }
        Map<String, BigDecimal> read = new TreeMap<>();
        for (String tenant : result.tenants()) {
            Simulation.Answer usage = result.answers().get("GET /usage/" + tenant);
            assertEquals(200, usage.status(), usage.body().toString());
            for (JsonNode line : usage.body().path("lines")) {
                if ("GPU".equals(line.path("resource").asText())) {
                    read.merge(tenant, new BigDecimal(line.path("quantity").asText()), BigDecimal::add);
                }
            }
        }
        assertTrue(result.resent() > 0);
        assertEquals(expected.keySet(), read.keySet());
        expected.forEach((tenant, quantity) -> assertEquals(0, quantity.compareTo(read.get(tenant)), tenant));
    }

    @Test
    void tenantKey_cannotReadAnotherTenant_andNoKeyIsUnauthorized() {
        assertEquals(403, answer("GET#cross-tenant").status());
        assertEquals(401, answer("GET#no-key").status());
        assertEquals("UNAUTHORIZED", answer("GET#no-key").body().path("error").path("code").asText());
    }

    @Test
    void report_listsEveryTenantAndDrawsTheCostChart() {
        String text = SimulationReport.text(result);
        String html = HtmlReport.render(result);

        result.tenants().forEach(tenant -> assertTrue(text.contains(tenant)));
        assertTrue(html.contains("<svg id=\"cost-chart\""));
        // two objectives per miner, each with a bar once the miner expected heartbeats and finished jobs
        assertEquals(HtmlReport.budgets(result).size(), html.split("class=\"budget\"", -1).length - 1);
        assertTrue(HtmlReport.budgets(result).size() >= result.miners().size(), html);
        assertTrue(text.contains("Error budgets and burn-rate alerts"));
        assertEquals(result.tenants().size(), html.split("class=\"series\"", -1).length - 1
                - HtmlReport.capacitySeries(result).size());
    }

    @Test
    void everyStoredItem_carriesTheExpiryItsKindIsKeptFor() {
        long now = Instant.now().getEpochSecond();
        Map<String, Integer> checked = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (String table : system.dynamo().listTables().tableNames()) {
            system.dynamo().scanPaginator(b -> b.tableName(table)).items().forEach(item -> {
                String pk = item.get("pk").s();
                String sk = item.containsKey("sk") ? item.get("sk").s() : "";
                Optional<RetentionRules.Rule> rule = RetentionRules.of(table, pk, sk);
                if (rule.isEmpty()) {
                    wrong.add(table + " " + pk + " / " + sk + ": no retention rule for this kind of item");
                    return;
                }
                AttributeValue ttl = item.get("ttl");
                Long days = ttl == null ? null : (Long.parseLong(ttl.n()) - now) * 100 / 86_400;
                rule.get().check(days).ifPresent(problem -> wrong.add(table + " " + pk + " / " + sk + ": " + problem));
                checked.merge(rule.get().kind(), 1, Integer::sum);
            });
        }
        System.out.println("items checked by kind: " + checked);
        assertEquals(List.of(), wrong.stream().limit(20).toList());
        for (String kind : List.of("usage ledger item", "minute aggregate", "hour aggregate", "day aggregate", "month aggregate",
                "reject", "miner hour", "SLA metrics", "quota item", "billing sync record", "API key")) {
            assertTrue(checked.containsKey(kind), "the simulation stored no " + kind);
        }
    }

    private static Simulation.Answer answer(String prefix) {
        return result.answers().entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
                .findFirst().orElseThrow();
    }
}
