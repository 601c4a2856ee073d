package com.poolhub.metering.sla.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.KinesisBatch;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.sla.BurnRateAlerts;
import com.poolhub.metering.sla.BurnRateRule;
import com.poolhub.metering.sla.BurnRateStatus;
import com.poolhub.metering.sla.CollectionResult;
import com.poolhub.metering.sla.ErrorBudget;
import com.poolhub.metering.sla.MinerBudgets;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaMetric;
import com.poolhub.metering.sla.SlaSettings;
import com.poolhub.metering.sla.SlaThresholds;
import com.poolhub.metering.sla.SloSettings;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.RecordingPublisher;
import com.poolhub.metering.testing.TelemetryEventJson;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Burn-rate alerts through real collections on the DynamoDB emulator: a miner offline for the last ten
 * minutes of three days pages (14.4× over 1 h and 5 min) and nothing else; the episode is announced
 * once across collections and publish failures, and resolved once when the short window recovers.
 */
class BurnRateAlertsIntegrationTest {
    static final Instant START = Instant.parse("2026-11-17T00:00:00Z");
    /** Three days of heartbeats; "outage" is OFFLINE in the last ten minutes before it. */
    static final Instant OUTAGE_END = START.plus(Duration.ofDays(3));
    /** Ten minutes of recovery later. */
    static final Instant RECOVERED = OUTAGE_END.plus(Duration.ofMinutes(10));
    static Map<Table, String> telemetry;

    @BeforeAll
    static void ingest() {
        List<ObjectNode> events = new ArrayList<>();
        int id = 0;
        for (Instant t = START.plusSeconds(5); t.isBefore(RECOVERED); t = t.plusSeconds(60)) {
            events.add(TelemetryEventJson.heartbeat("e" + id++, "steady", t, "ONLINE", 4, 1));
            boolean down = !t.isBefore(OUTAGE_END.minus(Duration.ofMinutes(10))) && t.isBefore(OUTAGE_END);
            events.add(TelemetryEventJson.heartbeat("e" + id++, "outage", t, down ? "OFFLINE" : "ONLINE", 8, 2));
        }
        telemetry = LocalDynamo.freshTables();
        var pipeline = new TelemetryIngestion(telemetry.get(Table.TELEMETRY), telemetry.get(Table.REJECTS), new BucketGrid(60),
                Duration.ofDays(35), Duration.ofDays(35), 4).pipeline(LocalDynamo.client(), at(RECOVERED));
        for (int from = 0; from < events.size(); from += 5000) {
            KinesisEvents batch = KinesisEvents.shard("shardId-000000000000", from);
            for (int r = from; r < Math.min(events.size(), from + 5000); r += 100) {
                ArrayNode array = Json.mapper().createArrayNode();
                events.subList(r, Math.min(events.size(), r + 100)).forEach(array::add);
                batch.record("p", array.toString());
            }
            IngestReport report = pipeline.process(KinesisBatch.records(batch.build()));
            assertEquals(List.of(), report.failedSequenceNumbers());
        }
    }

    static Clock at(Instant instant) {
        return Clock.fixed(instant.plusSeconds(30), ZoneOffset.UTC);
    }

    static SlaCollector collector(DynamoDbClient dynamo, String slaTable, RecordingPublisher publisher, Instant now) {
        SlaSettings settings = new SlaSettings(Duration.ofHours(24), 24, Duration.ofDays(1), new BigDecimal("80"),
                new BigDecimal("50"), 4, Duration.ofDays(90));
        return new SlaCollection(telemetry.get(Table.TELEMETRY), slaTable, new BucketGrid(60), Duration.ofDays(35),
                SlaThresholds.DEFAULTS, settings, SloSettings.DEFAULTS).collector(dynamo, publisher, at(now));
    }

    static List<DomainEvent> alerts(RecordingPublisher publisher) {
        return publisher.published(BurnRateAlerts.EVENT);
    }

    @Test
    void anOutage_pagesOnce_andResolvesOnce_whenTheShortWindowRecovers() {
        DynamoDbClient dynamo = LocalDynamo.client();
        String slaTable = LocalDynamo.freshTables().get(Table.SLA);
        RecordingPublisher publisher = new RecordingPublisher();

        collector(dynamo, slaTable, publisher, OUTAGE_END).collect();

        List<DomainEvent> fired = alerts(publisher);
        assertEquals(1, fired.size(), "only the fast page fires: " + fired);
        var detail = fired.get(0).detail();
        assertEquals("outage", detail.get("minerId").asText());
        assertEquals("UPTIME", detail.get("metric").asText());
        assertEquals("PAGE_FAST", detail.get("rule").asText());
        assertEquals("PAGE", detail.get("severity").asText());
        assertEquals("FIRING", detail.get("state").asText());
        // 10 of the hour's 60 buckets down against a 1 % budget; all 5 of the last 5 minutes
        assertEquals("16.667", detail.get("longBurnRate").asText());
        assertEquals("100.000", detail.get("shortBurnRate").asText());
        assertEquals("2026-11-20T00:00:00Z", detail.get("openedAt").asText());

        collector(dynamo, slaTable, publisher, OUTAGE_END).collect();
        collector(dynamo, slaTable, publisher, OUTAGE_END.plus(Duration.ofMinutes(2))).collect();
        assertEquals(1, alerts(publisher).size(), "still firing: announced once");

        collector(dynamo, slaTable, publisher, RECOVERED).collect();
        List<DomainEvent> all = alerts(publisher);
        assertEquals(2, all.size());
        assertEquals("RESOLVED", all.get(1).detail().get("state").asText());
        assertEquals(detail.get("episodeId"), all.get(1).detail().get("episodeId"));
        assertEquals("2026-11-20T00:10:00Z", all.get(1).detail().get("resolvedAt").asText());

        collector(dynamo, slaTable, publisher, RECOVERED).collect();
        assertEquals(2, alerts(publisher).size(), "resolved: announced once");
        assertEquals(List.of(), collector(dynamo, slaTable, publisher, RECOVERED)
                .budgets(collector(dynamo, slaTable, publisher, RECOVERED).registeredMiner("outage").orElseThrow()).alerts());
    }

    @Test
    void aFailedPublish_leavesTheEpisodePending_andTheNextCollectionAnnouncesItOnce() {
        DynamoDbClient dynamo = LocalDynamo.client();
        String slaTable = LocalDynamo.freshTables().get(Table.SLA);
        RecordingPublisher publisher = new RecordingPublisher();

        publisher.failNextCalls(1);
        CollectionResult failed = collector(dynamo, slaTable, publisher, OUTAGE_END).collect();
        assertEquals(1, failed.publishFailed());
        assertEquals(List.of(), alerts(publisher));
        MinerBudgets pending = collector(dynamo, slaTable, publisher, OUTAGE_END)
                .budgets(collector(dynamo, slaTable, publisher, OUTAGE_END).registeredMiner("outage").orElseThrow());
        assertEquals(1, pending.alerts().size());
        assertTrue(pending.alerts().get(0).pending());

        collector(dynamo, slaTable, publisher, OUTAGE_END).collect();
        collector(dynamo, slaTable, publisher, OUTAGE_END).collect();
        assertEquals(1, alerts(publisher).size());
        assertEquals("FIRING", alerts(publisher).get(0).detail().get("state").asText());
        assertEquals("2026-11-20T00:00:00Z", alerts(publisher).get(0).detail().get("openedAt").asText(),
                "the episode keeps the time it opened, not the time it was announced");

        publisher.failNextCalls(1);
        collector(dynamo, slaTable, publisher, RECOVERED).collect();
        collector(dynamo, slaTable, publisher, RECOVERED).collect();
        collector(dynamo, slaTable, publisher, RECOVERED).collect();
        assertEquals(List.of("FIRING", "RESOLVED"),
                alerts(publisher).stream().map(e -> e.detail().get("state").asText()).toList());
    }

    @Test
    void budgets_countEveryBucketSinceTheFirstHeartbeat_andTheBurnRatesOfEveryRule() {
        DynamoDbClient dynamo = LocalDynamo.client();
        SlaCollector collector = collector(dynamo, LocalDynamo.freshTables().get(Table.SLA), new RecordingPublisher(), RECOVERED);

        MinerBudgets outage = collector.budgets(collector.registeredMiner("outage").orElseThrow());

        assertEquals(30, outage.slo().periodDays());
        ErrorBudget uptime = outage.budgets().stream().filter(b -> b.metric() == SlaMetric.UPTIME).findFirst().orElseThrow();
        long buckets = Duration.between(START, RECOVERED).toMinutes();
        assertEquals(buckets, uptime.count().total());
        assertEquals(10, uptime.count().bad());
        assertEquals(0, uptime.allowedBad().compareTo(BigDecimal.valueOf(buckets).movePointLeft(2)));
        assertEquals(0, uptime.remainingBad().compareTo(BigDecimal.valueOf(buckets).movePointLeft(2).subtract(BigDecimal.TEN)));
        ErrorBudget completion = outage.budgets().stream().filter(b -> b.metric() == SlaMetric.COMPLETION_RATE).findFirst().orElseThrow();
        assertEquals(0, completion.count().total(), "no jobs");
        BurnRateStatus fast = outage.burnRates().stream()
                .filter(s -> s.metric() == SlaMetric.UPTIME && s.rule() == BurnRateRule.PAGE_FAST).findFirst().orElseThrow();
        assertFalse(fast.firing(), "the last five minutes are up");
        assertEquals(new BigDecimal("16.667"), fast.longBurnRate());
        assertEquals(new BigDecimal("0.000"), fast.shortBurnRate());
        assertEquals(6, outage.burnRates().size(), "two objectives under three rules");
    }
}
