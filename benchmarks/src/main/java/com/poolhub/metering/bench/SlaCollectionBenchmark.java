package com.poolhub.metering.bench;

import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.telemetry.MinerHourCodec;
import com.poolhub.metering.aws.telemetry.MinerRegistry;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.sla.CollectionResult;
import com.poolhub.metering.sla.SlaCollector;
import com.poolhub.metering.sla.SlaSettings;
import com.poolhub.metering.sla.SlaThresholds;
import com.poolhub.metering.telemetry.BucketGrid;
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
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Measures one SLA collection over a 24 h window against the local DynamoDB emulator for a pool of N miners that
 * each sent a heartbeat every minute for 25 hours (so the collection could read 36,000 heartbeats
 * per miner), and, for the smallest pool, for 73 hours (older than the longest burn-rate window, three
 * days, which the collection reads too): DynamoDB requests by operation, read units and wall time.
 * Part of the benchmark command: {@code sla} selects it.
 */
final class SlaCollectionBenchmark {
    static final Instant END = Instant.parse("2026-11-22T12:00:00Z");
    static final BucketGrid GRID = new BucketGrid(60);

    /** One collection per pool size, e.g. 1,000 and 10,000 miners. */
    static void run(int... sizes) throws Exception {
        System.out.printf("%nSLA collection over a 24 h window (one heartbeat a minute per miner)%n");
        for (int miners : sizes) {
            collect(miners, 25);
        }
        collect(sizes[0], 73);
    }

    static void collect(int miners, int hours) throws Exception {
        Map<Table, String> tables = LocalDynamo.freshTables();
        // seeded through the meter so that it knows the whole items the collection reads through a projection
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoDbClient metered = LocalDynamo.metered(meter);
        long seeded = seed(metered, tables.get(Table.TELEMETRY), miners, hours);
        EventPublisher publisher = events -> { };
        SlaCollector collector = new SlaCollection(tables.get(Table.TELEMETRY), tables.get(Table.SLA), GRID, Duration.ofDays(35),
                SlaThresholds.DEFAULTS, SlaSettings.DEFAULTS)
                .collector(metered, publisher, Clock.fixed(END.plusSeconds(10), ZoneOffset.UTC));
        // the first collection opens an alert episode for every miner whose uptime burns its budget (here every
        // miner's: one heartbeat in 30 is missing); the second finds them open, as a steady schedule does
        report("first", collector, meter, miners, hours, seeded);
        report("second", collector, meter, miners, hours, seeded);
    }

    private static void report(String run, SlaCollector collector, DynamoDbMeter meter, int miners, int hours, long seeded) {
        meter.reset();
        long began = System.nanoTime();
        CollectionResult result = collector.collect();
        double seconds = (System.nanoTime() - began) / 1e9;
        long reads = meter.requests("Query") + meter.requests("GetItem") + meter.requests("BatchGetItem");
        System.out.printf("miners=%d history=%d h heartbeats-in-window=%d items-seeded=%d | %s collection: %.2f s, read requests=%d "
                        + "(%.2f per miner), read units=%.1f, write units=%.1f, requests by operation=%s, violations=%d, "
                        + "events published=%d%n",
                miners, hours, (long) miners * 24 * 60, seeded, run, seconds, reads, (double) reads / miners, meter.readUnits(),
                meter.writeUnits(), meter.requests(), result.violations(), result.published());
    }

    /** Writes {@code hours} hour items per miner (as telemetry ingestion leaves them, fingerprints included) and the registry. */
    static long seed(DynamoDbClient dynamo, String table, int miners, int hours) throws Exception {
        MinerHourCodec codec = new MinerHourCodec(GRID, Duration.ofDays(36));
        TelemetryAggregation aggregation = new TelemetryAggregation(GRID);
        Instant firstHour = END.minus(Duration.ofHours(hours));
        List<MinerHour> templates = new ArrayList<>();
        Random random = new Random(1);
        for (int h = 0; h < hours; h++) {
            Instant hour = firstHour.plus(Duration.ofHours(h));
            MinerHour state = aggregation.empty(new MinerHourKey("template", hour));
            for (int minute = 0; minute < 60; minute++) {
                if (random.nextInt(30) == 0) {
                    continue;
                }
                Instant t = hour.plusSeconds(minute * 60L + 7);
                state = aggregation.add(state, new TelemetryEvent.Heartbeat(0, "template", t, MinerStatus.ONLINE, 8, random.nextInt(9)));
            }
            for (int m = 0; m < 4; m++) {
                state = state.withResponse(m * 15, 100_000 + random.nextInt(900_000));
                state = state.withOutcome(m * 15, com.poolhub.metering.telemetry.JobOutcome.SUCCEEDED);
            }
            templates.add(state);
        }
        byte[] fingerprints = new byte[64 * Long.BYTES];
        random.nextBytes(fingerprints);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> writes = new ArrayList<>();
        List<WriteRequest> batch = new ArrayList<>();
        long items = 0;
        for (int i = 0; i < miners; i++) {
            String miner = String.format("miner-%05d", i);
            new MinerRegistry(dynamo, table).record(miner, firstHour, firstHour);
            for (int h = 0; h < hours; h++) {
                MinerHourKey key = new MinerHourKey(miner, firstHour.plus(Duration.ofHours(h)));
                Map<String, AttributeValue> item = new HashMap<>(codec.encode(key, templates.get(h)));
                item.putAll(codec.key(key));
                item.put("fp", AttributeValue.fromB(SdkBytes.fromByteArray(fingerprints)));
                item.put("ver", AttributeValue.fromN("3"));
                batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build());
                items++;
                if (batch.size() == 25) {
                    List<WriteRequest> chunk = batch;
                    writes.add(pool.submit(() -> write(dynamo, table, chunk)));
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) {
            List<WriteRequest> chunk = batch;
            writes.add(pool.submit(() -> write(dynamo, table, chunk)));
        }
        for (Future<?> write : writes) {
            write.get();
        }
        pool.shutdown();
        return items;
    }

    private static void write(DynamoDbClient dynamo, String table, List<WriteRequest> chunk) {
        List<WriteRequest> pending = chunk;
        while (!pending.isEmpty()) {
            List<WriteRequest> current = pending;
            pending = dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, current))).unprocessedItems()
                    .getOrDefault(table, List.of());
        }
    }
}
