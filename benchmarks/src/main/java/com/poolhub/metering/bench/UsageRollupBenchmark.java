package com.poolhub.metering.bench;

import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.RollupReport;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Measures one aggregation run over N changed minute keys (default 1000 and 10000) on the
 * DynamoDB emulator: wall time, DynamoDB requests per operation and capacity units, then a second run with
 * nothing changed. Keys: tenants × {GPU seconds, inference tokens} × 50 minutes of one hour, so
 * N keys roll into N/50 hours, N/50 days and N/50 months. Part of the benchmark command:
 * {@code rollup} selects it.
 */
final class UsageRollupBenchmark {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    private UsageRollupBenchmark() {
    }

    /** One rollup per number of changed minute keys, e.g. 1,000 and 10,000. */
    static void run(int... sizes) {
        System.out.printf("%nUsage aggregation: one rollup run over N changed minute keys, then an idle run%n");
        for (int keys : sizes) {
            run(keys);
        }
    }

    private static void run(int keys) {
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoDbClient dynamo = LocalDynamo.metered(meter);
        IngestPipeline<UsageEvent, UsageKey> pipeline = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS),
                Duration.ofDays(35), Duration.ofDays(35), 8).pipeline(dynamo, CLOCK);
        Instant hour = Instant.parse("2026-11-22T10:00:00Z");
        List<StreamRecord> batch = new ArrayList<>();
        int tenants = Math.max(1, keys / 100);
        int n = 0;
        for (int t = 0; t < tenants; t++) {
            for (int m = 0; m < 50; m++) {
                Instant at = hour.plusSeconds(60L * m + 5);
                batch.add(record(n++, UsageEventJson.gpuSeconds("g" + n, "tenant-" + t, "12.5", at)));
                batch.add(record(n++, UsageEventJson.event("//nodes/llm", "t" + n, "tenant-" + t, "INFERENCE", "tokens", "1000", at).toString()));
                if (batch.size() >= 500) {
                    pipeline.process(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) {
            pipeline.process(batch);
        }
        DynamoUsageRollup rollup = new DynamoUsageRollup(dynamo, tables.get(Table.USAGE), UsageMetricsSink.none(),
                Executors.newFixedThreadPool(8, Workers.daemon("bench-rollup")), 1_000_000);
        report(keys, "changed", meter, rollup);
        report(keys, "idle   ", meter, rollup);
    }

    private static void report(int keys, String label, DynamoDbMeter meter, DynamoUsageRollup rollup) {
        meter.reset();
        long start = System.nanoTime();
        List<RollupReport> reports = rollup.runAll();
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("keys=%d run=%s time=%dms requests=%d %s WCU=%.1f RCU=%.1f%n", keys, label, millis,
                meter.totalRequests(), meter.requests(), meter.writeUnits(), meter.readUnits());
        reports.forEach(r -> System.out.printf("    %s marks=%d written=%d cleared=%d%n", r.from(), r.marks(), r.written(), r.cleared()));
    }

    private static StreamRecord record(int sequence, String json) {
        return new StreamRecord("shardId-000000000000", Integer.toString(sequence), "p", CLOCK.instant(),
                ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }
}
