package com.poolhub.metering.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.aws.telemetry.MinerRegistry;
import com.poolhub.metering.sla.CollectionResult;
import com.poolhub.metering.sla.MinerMetrics;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaSettings;
import com.poolhub.metering.sla.SlaThresholds;
import com.poolhub.metering.sla.SlaWindow;
import com.poolhub.metering.telemetry.BucketGrid;
import com.poolhub.metering.telemetry.JobOutcome;
import com.poolhub.metering.telemetry.MinerHour;
import com.poolhub.metering.telemetry.MinerHourKey;
import com.poolhub.metering.telemetry.MinerStatus;
import com.poolhub.metering.telemetry.TelemetryAggregation;
import com.poolhub.metering.telemetry.TelemetryEvent;
import com.poolhub.metering.testing.LocalDynamo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A collection over a 24 h window that does not start on the hour, on the stored miner hours: slow
 * matches and failed jobs in the minutes just before the window and at its end raise no violation,
 * and the collection still reads at most two requests per miner.
 */
class SlaCollectionWindowTest {
    private static final BucketGrid GRID = new BucketGrid(60);
    private static final Instant NOW = Instant.parse("2026-11-23T10:17:10Z");
    private static final int MINERS = 40;

    @Test
    void aPt24hCollectionNotOnTheHour_countsOnlyItsMinutes_inAtMostTwoReadsPerMiner() {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbClient dynamo = LocalDynamo.client();
        SlaCollection collection = new SlaCollection(tables.get(Table.TELEMETRY), tables.get(Table.SLA), GRID,
                Duration.ofDays(35), SlaThresholds.DEFAULTS, SlaSettings.DEFAULTS);
        SlaWindow window = SlaWindow.endingAt(NOW, Duration.ofHours(24), GRID);
        assertEquals(Instant.parse("2026-11-22T10:17:00Z"), window.start());
        for (int i = 0; i < MINERS; i++) {
            seed(dynamo, tables.get(Table.TELEMETRY), String.format("miner-%03d", i), window);
        }

        DynamoDbMeter meter = new DynamoDbMeter();
        SlaCollector collector = collection.collector(LocalDynamo.metered(meter), events -> { },
                Clock.fixed(NOW, ZoneOffset.UTC));
        CollectionResult result = collector.collect();
        long reads = meter.requests("Query") + meter.requests("GetItem") + meter.requests("BatchGetItem")
                + meter.requests("Scan");
        System.out.printf("collection of %d miners: %d read requests (%.2f per miner), %s%n", MINERS, reads,
                (double) reads / MINERS, meter.requests());
        assertEquals(window, result.window());
        assertEquals(MINERS, result.miners());
        assertEquals(0, result.violations(), "no violation from events outside the window");
        assertTrue(reads <= 2L * MINERS, reads + " read requests for " + MINERS + " miners");

        MinerMetrics metrics = collector.evaluate(collector.registeredMiner("miner-000").orElseThrow(), window);
        assertEquals(3, metrics.responses());
        assertEquals(3, metrics.succeeded());
        assertEquals(0, metrics.failed() + metrics.timedOut());
    }

    /** A heartbeat a minute from an hour before the window; slow failures just outside, fast successes inside. */
    private static void seed(DynamoDbClient dynamo, String table, String miner, SlaWindow window) {
        List<TelemetryEvent> events = new ArrayList<>();
        Instant first = window.start().minus(Duration.ofHours(1));
        for (Instant t = first; t.isBefore(window.end()); t = t.plusSeconds(60)) {
            events.add(new TelemetryEvent.Heartbeat(events.size(), miner, t.plusSeconds(3), MinerStatus.BUSY, 8, 2));
        }
        for (Instant outside : List.of(window.start().minusSeconds(60), window.start().minusSeconds(1), window.end())) {
            events.add(new TelemetryEvent.Match(events.size(), miner, outside, "j", 9_000_000));
            events.add(new TelemetryEvent.Job(events.size(), miner, outside, "j", JobOutcome.FAILED));
        }
        for (Instant inside : List.of(window.start(), window.start().plusSeconds(3600), window.end().minusSeconds(1))) {
            events.add(new TelemetryEvent.Match(events.size(), miner, inside, "j", 150_000));
            events.add(new TelemetryEvent.Job(events.size(), miner, inside, "j", JobOutcome.SUCCEEDED));
        }
        TelemetryAggregation aggregation = new TelemetryAggregation(GRID);
        Map<MinerHourKey, MinerHour> hours = new HashMap<>();
        for (TelemetryEvent event : events) {
            MinerHourKey key = aggregation.keyOf(event);
            hours.put(key, aggregation.add(hours.getOrDefault(key, aggregation.empty(key)), event));
        }
        MinerHourCodec codec = new MinerHourCodec(GRID, Duration.ofDays(36));
        hours.forEach((key, hour) -> {
            Map<String, AttributeValue> item = new HashMap<>(codec.encode(key, hour));
            item.putAll(codec.key(key));
            dynamo.putItem(b -> b.tableName(table).item(item));
        });
        new MinerRegistry(dynamo, table).record(miner, first, first);
    }
}
