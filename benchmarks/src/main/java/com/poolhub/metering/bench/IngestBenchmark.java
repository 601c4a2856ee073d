package com.poolhub.metering.bench;

import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.TableProvisioner;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerLayout;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Usage ingestion cost and speed: the exactly-once pipeline next to the naive per-record baseline,
 * on the same records, against DynamoDB Local (which reports consumed capacity like the service).
 * Prints requests, write and read units per 1,000 events, events per second, the ratios, and
 * whether both ended with exactly the expected totals.
 */
final class IngestBenchmark {
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final int PARALLELISM = 8;

    private static final int TENANTS = 20;
    private static final int EVENTS_PER_SECOND = 500;

    private final URI endpoint;
    private final PrintStream out;
    private final double scale;

    /**
     * @param scale multiplies the records of each run (1.0: 10,000 records at batch 100, 20,000 at
     *              1,000 and 60,000, about two minutes of stream, at 10,000)
     */
    IngestBenchmark(URI endpoint, PrintStream out, double scale) {
        this.endpoint = endpoint;
        this.out = out;
        this.scale = scale;
    }

    private int recordsFor(int batchSize) {
        int base = batchSize <= 100 ? 10_000 : batchSize <= 1_000 ? 20_000 : 60_000;
        return Math.max(batchSize, (int) (base * scale));
    }

    /** One measured run. */
    record Row(String design, int batchSize, long events, double requestsPer1k, double writeUnitsPer1k,
               double readUnitsPer1k, double eventsPerSecond, boolean exact) {
    }

    void run(int... batchSizes) {
        out.printf("%nUsage ingestion: 1%% producer resends, %d tenants x 3 series, %d events/s of stream time%n",
                TENANTS, EVENTS_PER_SECOND);
        out.printf("%-10s %7s %8s %12s %12s %12s %10s %6s%n", "design", "batch", "records", "requests/1k", "WCU/1k",
                "RCU/1k", "events/s", "exact");
        for (int batchSize : batchSizes) {
            UsageWorkload workload = new UsageWorkload(batchSize, recordsFor(batchSize), TENANTS, EVENTS_PER_SECOND,
                    0.01, START, 7);
            Row ours = measureDesign(workload, batchSize);
            Row naive = measureNaive(workload, batchSize);
            print(ours);
            print(naive);
            out.printf("%-10s %7d %8s %12s %12s%n", "ratio", batchSize, "",
                    String.format("%.1fx", naive.requestsPer1k() / ours.requestsPer1k()),
                    String.format("%.1fx", naive.writeUnitsPer1k() / ours.writeUnitsPer1k()));
        }
    }

    private void print(Row row) {
        out.printf("%-10s %7d %8d %12.1f %12.1f %12.1f %10.0f %6s%n", row.design(), row.batchSize(), row.events(),
                row.requestsPer1k(),
                row.writeUnitsPer1k(), row.readUnitsPer1k(), row.eventsPerSecond(), row.exact() ? "yes" : "NO");
    }

    private Row measureDesign(UsageWorkload workload, int batchSize) {
        Map<Table, String> tables = freshTables("design" + batchSize);
        DynamoDbMeter meter = new DynamoDbMeter();
        try (DynamoDbClient dynamo = client(meter)) {
            UsageIngestion settings = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS),
                    Duration.ofDays(35), Duration.ofDays(35), PARALLELISM);
            IngestPipeline<UsageEvent, UsageKey> pipeline = settings.pipeline(dynamo, clockAfter(workload));
            long started = System.nanoTime();
            for (List<StreamRecord> batch : workload.batches) {
                IngestReport report = pipeline.process(batch);
                if (!report.failedSequenceNumbers().isEmpty()) {
                    throw new IllegalStateException("a batch failed during the benchmark");
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            return row("pipeline", batchSize, workload, meter, seconds, totals(dynamo, tables.get(Table.USAGE)));
        }
    }

    private Row measureNaive(UsageWorkload workload, int batchSize) {
        Map<Table, String> tables = freshTables("naive" + batchSize);
        DynamoDbMeter meter = new DynamoDbMeter();
        ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM, Workers.daemon("naive"));
        try (DynamoDbClient dynamo = client(meter)) {
            NaiveIngest naive = new NaiveIngest(dynamo, tables.get(Table.REJECTS), tables.get(Table.USAGE), workers,
                    EventTimePolicy.defaults(clockAfter(workload)));
            long started = System.nanoTime();
            workload.batches.forEach(naive::process);
            double seconds = (System.nanoTime() - started) / 1e9;
            return row("naive", batchSize, workload, meter, seconds, totals(dynamo, tables.get(Table.USAGE)));
        } finally {
            workers.shutdownNow();
        }
    }

    private static Row row(String design, int batchSize, UsageWorkload workload, DynamoDbMeter meter, double seconds,
                           Map<String, BigDecimal> stored) {
        double perK = 1000.0 / workload.events;
        boolean exact = normalise(workload.expected).equals(normalise(stored));
        return new Row(design, batchSize, workload.events, meter.totalRequests() * perK, meter.writeUnits() * perK,
                meter.readUnits() * perK, workload.events / seconds, exact);
    }

    private static Map<String, String> normalise(Map<String, BigDecimal> totals) {
        Map<String, String> result = new TreeMap<>();
        totals.forEach((k, v) -> result.put(k, v.stripTrailingZeros().toPlainString()));
        return result;
    }

    private static Map<String, BigDecimal> totals(DynamoDbClient dynamo, String table) {
        Map<String, BigDecimal> totals = new TreeMap<>();
        dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(item -> {
            if (!LedgerLayout.isLedger(item.get("pk").s())) {
                totals.put(item.get("pk").s() + "|" + item.get("sk").s(), new BigDecimal(item.get("quantity").n()));
            }
        });
        return totals;
    }

    private static Clock clockAfter(UsageWorkload workload) {
        return Clock.fixed(START.plusSeconds(workload.events / EVENTS_PER_SECOND + 60), ZoneOffset.UTC);
    }

    private Map<Table, String> freshTables(String suffix) {
        Map<Table, String> names = new java.util.EnumMap<>(Table.class);
        for (Table table : Table.values()) {
            names.put(table, table.localName() + "-bench-" + suffix);
        }
        try (DynamoDbClient dynamo = LocalAws.dynamoDb(endpoint)) {
            new TableProvisioner(dynamo).createAll(names);
        }
        return names;
    }

    private DynamoDbClient client(DynamoDbMeter meter) {
        return LocalAws.dynamoDb(endpoint, meter);
    }
}
