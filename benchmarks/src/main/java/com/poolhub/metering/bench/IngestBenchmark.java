package com.poolhub.metering.bench;

import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.TableProvisioner;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerFolder;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerLayout;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Usage ingestion cost and speed on a matrix of workloads: the ledger pipeline next to the naive
 * per-record baseline, in the same run, against the local DynamoDB backend, with capacity units modelled
 * by DynamoDB's published rules (see {@code DynamoDbMeter}). Each row prints write and read units, requests and dollars per 1,000 or per million
 * events, events per second end to end, the handler's own CPU per 1,000 events, commit conflicts and
 * whether the totals came out exact. Ingest folds a busy window at most once every
 * {@value #FOLD_SECONDS} s of stream time (the default of {@code INGEST_FOLD_SECONDS}); the benchmark
 * drives that cadence on the stream's clock, since it replays the stream faster than real time.
 */
final class IngestBenchmark {
    /** DynamoDB on-demand list prices, us-east-1, in force from 2024-11-01: USD per million request units. */
    static final double USD_PER_MILLION_WRITE_UNITS = 0.625;
    static final double USD_PER_MILLION_READ_UNITS = 0.125;
    static final String PRICES_DATED = "2024-11-01";
    private static final int FOLD_SECONDS = LedgerSettings.DEFAULT_FOLD_SECONDS;
    private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    private static final int PARALLELISM = 8;
    /** The naive baseline's cost per event does not depend on volume: it runs on at most this many records. */
    private static final int NAIVE_RECORDS = 20_000;

    private final URI endpoint;
    private final PrintStream out;
    private final double scale;
    private int runs;

    /** One row of the matrix; {@code strictWindow} non-zero runs the stricter deduplication mode. */
    record Row(String name, UsageWorkload.Spec spec, boolean concurrent, Duration strictWindow) {
        Row(String name, UsageWorkload.Spec spec, boolean concurrent) {
            this(name, spec, concurrent, Duration.ZERO);
        }
    }

    IngestBenchmark(URI endpoint, PrintStream out, double scale) {
        this.endpoint = endpoint;
        this.out = out;
        this.scale = scale;
    }

    private int records(int base, int batch) {
        return Math.max(batch, (int) (base * scale));
    }

    /** The matrix a real user meets; {@code -Dbench.ingest.row=batch=..,rate=..,...} runs one row of its own instead. */
    List<Row> matrix() {
        String custom = System.getProperty("bench.ingest.row");
        if (custom != null) {
            return List.of(custom(custom));
        }
        return List.of(
                new Row("10k batches (20 s), 500 ev/s, 20 tenants x 3",
                        new UsageWorkload.Spec(10_000, records(60_000, 10_000), 20, 3, 500, 1, 0.01), false),
                new Row("2k batches (1 s), 2,000 ev/s, 20 x 3",
                        new UsageWorkload.Spec(2_000, records(60_000, 2_000), 20, 3, 2_000, 1, 0.01), false),
                new Row("200 batches (0.1 s), 2,000 ev/s, 20 x 3",
                        new UsageWorkload.Spec(200, records(30_000, 200), 20, 3, 2_000, 1, 0.01), false),
                new Row("one tenant, one series, 5,000 ev/s, 1-s batches on 5 shards",
                        new UsageWorkload.Spec(1_000, records(3_000_000, 5_000), 1, 1, 5_000, 5, 0.01), false),
                new Row("long tail: 2,000 tenants x 3, 2,000 ev/s, 1-s batches",
                        new UsageWorkload.Spec(2_000, records(240_000, 2_000), 2_000, 3, 2_000, 1, 0.01), false),
                new Row("8 concurrent writers (shards) on one key, 1-s batches",
                        new UsageWorkload.Spec(1_000, records(96_000, 8_000), 1, 1, 8_000, 8, 0.01), true),
                new Row("strict global dedupe (24 h), 2k batches (1 s), 2,000 ev/s, 20 x 3",
                        new UsageWorkload.Spec(2_000, records(60_000, 2_000), 20, 3, 2_000, 1, 0.01), false,
                        Duration.ofHours(24)));
    }

    private static Row custom(String text) {
        Map<String, String> values = new HashMap<>();
        for (String pair : text.split(",")) {
            String[] parts = pair.split("=", 2);
            values.put(parts[0].trim(), parts[1].trim());
        }
        int rate = Integer.parseInt(values.getOrDefault("rate", "2000"));
        int seconds = Integer.parseInt(values.getOrDefault("seconds", "30"));
        int shards = Integer.parseInt(values.getOrDefault("shards", "1"));
        UsageWorkload.Spec spec = new UsageWorkload.Spec(Integer.parseInt(values.getOrDefault("batch", "2000")),
                Integer.parseInt(values.getOrDefault("records", Integer.toString(rate * seconds))),
                Integer.parseInt(values.getOrDefault("tenants", "20")), Integer.parseInt(values.getOrDefault("series", "3")),
                rate, shards, Double.parseDouble(values.getOrDefault("resends", "0.01")));
        return new Row("custom " + text, spec, Boolean.parseBoolean(values.getOrDefault("concurrent", "false")));
    }

    /** What one design did on one row. */
    record Measured(long events, long requests, double writeUnits, double readUnits, double seconds, boolean exact,
                    long rejected, long conflicts) {
        double per1k(double value) {
            return value * 1000.0 / events;
        }

        double usdPerMillion() {
            return (writeUnits * USD_PER_MILLION_WRITE_UNITS + readUnits * USD_PER_MILLION_READ_UNITS) / events;
        }
    }

    void run() {
        out.printf("%nUsage ingestion matrix: 1%% producer resends; ledger folds every %d s of stream; "
                + "naive = conditional marker + ADD per event (run on up to %,d records)%n", FOLD_SECONDS, NAIVE_RECORDS);
        out.printf("USD at DynamoDB on-demand list prices of %s (us-east-1): %.3f per million write units, %.3f per million read units%n",
                PRICES_DATED, USD_PER_MILLION_WRITE_UNITS, USD_PER_MILLION_READ_UNITS);
        out.printf("%-62s %-8s %9s %9s %8s %8s %9s %10s %8s %6s %7s %9s%n", "workload", "design", "events", "WCU/1k",
                "RCU/1k", "req/1k", "USD/M ev", "events/s", "CPU/1k", "exact", "rejects", "conflicts");
        for (Row row : matrix()) {
            UsageWorkload workload = new UsageWorkload(row.spec(), START, 7);
            double cpuMicrosPer1k = handlerCpuMicrosPer1k(workload);
            Measured ours = row.concurrent() ? measureConcurrent(workload) : measureLedger(workload, row.strictWindow());
            Measured naive = measureNaive(workload);
            print(row.name(), "ledger", ours, String.format("%.0f us", cpuMicrosPer1k));
            print("", "naive", naive, "");
            out.printf("%-62s %-8s %9s %9s %8s %8s %9s%n", "", "ratio", "",
                    String.format("%.1fx", naive.per1k(naive.writeUnits()) / ours.per1k(ours.writeUnits())), "",
                    String.format("%.1fx", naive.per1k(naive.requests()) / ours.per1k(ours.requests())),
                    String.format("%.1fx", naive.usdPerMillion() / ours.usdPerMillion()));
        }
    }

    private void print(String name, String design, Measured m, String cpu) {
        out.printf("%-62s %-8s %,9d %9.1f %8.1f %8.1f %9.3f %,10.0f %8s %6s %7d %9s%n", name, design, m.events(),
                m.per1k(m.writeUnits()), m.per1k(m.readUnits()), m.per1k(m.requests()), m.usdPerMillion(),
                m.events() / m.seconds(), cpu, m.exact() ? "yes" : design.equals("naive") ? "prefix" : "NO", m.rejected(),
                m.conflicts() < 0 ? "" : String.format("%.2f/1k", m.per1k(m.conflicts())));
    }

    /** CPU time of reading, validating and aggregating the batches in memory (no store), per 1,000 events. */
    private double handlerCpuMicrosPer1k(UsageWorkload workload) {
        Map<Table, String> tables = freshTables();
        try (DynamoDbClient dynamo = client(new DynamoDbMeter())) {
            IngestPipeline<UsageEvent, UsageKey> pipeline = ingestion(tables, Duration.ZERO)
                    .pipeline(dynamo, clockAfter(workload));
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            List<List<StreamRecord>> batches = workload.allBatches();
            for (int warm = 0; warm < Math.min(3, batches.size()); warm++) {
                pipeline.dryRun(batches.get(warm));
            }
            long before = threads.getCurrentThreadCpuTime();
            long valid = 0;
            for (List<StreamRecord> batch : batches) {
                valid += pipeline.dryRun(batch);
            }
            return (threads.getCurrentThreadCpuTime() - before) / 1e3 * 1000.0 / Math.max(1, valid);
        }
    }

    private UsageIngestion ingestion(Map<Table, String> tables, Duration strictWindow) {
        // folds are driven on the stream's clock below, not by the store's wall clock
        return new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), PARALLELISM).withLedger(LedgerSettings.immediate().withFoldInterval(Duration.ofDays(1))
                .withGlobalDedupeWindow(strictWindow));
    }

    private Measured measureLedger(UsageWorkload workload, Duration strictWindow) {
        Map<Table, String> tables = freshTables();
        DynamoDbMeter meter = new DynamoDbMeter();
        try (DynamoDbClient dynamo = client(meter)) {
            UsageIngestion ingestion = ingestion(tables, strictWindow);
            List<IngestPipeline<UsageEvent, UsageKey>> containers = new ArrayList<>();
            for (int shard = 0; shard < workload.spec.shards(); shard++) {
                containers.add(ingestion.pipeline(dynamo, clockAfter(workload)));
            }
            LedgerFolder<UsageKey, ?> folder = ingestion.folder(dynamo);
            List<double[]> order = deliveryOrder(workload);
            long rejected = 0;
            double nextFold = FOLD_SECONDS;
            long started = System.nanoTime();
            for (double[] delivery : order) {
                int shard = (int) delivery[1];
                int batch = (int) delivery[2];
                if (delivery[0] >= nextFold) {
                    folder.foldMarked();
                    nextFold += FOLD_SECONDS;
                }
                IngestReport report = containers.get(shard).process(workload.shards.get(shard).batches().get(batch));
                if (!report.failedSequenceNumbers().isEmpty()) {
                    throw new IllegalStateException("a batch failed during the benchmark");
                }
                rejected += report.rejected();
            }
            folder.foldMarked();
            double seconds = (System.nanoTime() - started) / 1e9;
            return measured(workload, meter, seconds, totals(dynamo, tables.get(Table.USAGE)), rejected,
                    conflicts(meter, dynamo, tables.get(Table.USAGE)));
        }
    }

    /** Each shard on its own thread and container at once; one fold at the end. */
    private Measured measureConcurrent(UsageWorkload workload) {
        Map<Table, String> tables = freshTables();
        DynamoDbMeter meter = new DynamoDbMeter();
        ExecutorService threads = Executors.newFixedThreadPool(workload.spec.shards(), Workers.daemon("bench-shard"));
        try (DynamoDbClient dynamo = client(meter)) {
            UsageIngestion ingestion = ingestion(tables, Duration.ZERO);
            AtomicLong rejected = new AtomicLong();
            List<CompletableFuture<Void>> shards = new ArrayList<>();
            long started = System.nanoTime();
            for (UsageWorkload.Shard shard : workload.shards) {
                IngestPipeline<UsageEvent, UsageKey> container = ingestion.pipeline(client(meter), clockAfter(workload));
                shards.add(CompletableFuture.runAsync(() -> {
                    for (List<StreamRecord> batch : shard.batches()) {
                        IngestReport report = container.process(batch);
                        if (!report.failedSequenceNumbers().isEmpty()) {
                            throw new IllegalStateException("a batch failed during the benchmark");
                        }
                        rejected.addAndGet(report.rejected());
                    }
                }, threads));
            }
            CompletableFuture.allOf(shards.toArray(CompletableFuture[]::new)).join();
            ingestion.folder(dynamo).foldMarked();
            double seconds = (System.nanoTime() - started) / 1e9;
            return measured(workload, meter, seconds, totals(dynamo, tables.get(Table.USAGE)), rejected.get(),
                    conflicts(meter, dynamo, tables.get(Table.USAGE)));
        } finally {
            threads.shutdownNow();
        }
    }

    /** Lost commit races: commit attempts less the pages that exist. */
    private static long conflicts(DynamoDbMeter meter, DynamoDbClient dynamo, String table) {
        long pages = 0;
        for (Map<String, AttributeValue> item : dynamo.scanPaginator(b -> b.tableName(table).consistentRead(true)
                .projectionExpression("pk, sk")).items()) {
            if (LedgerLayout.isLedger(item.get("pk").s()) && item.get("sk").s().startsWith("P#")) {
                pages++;
            }
        }
        return meter.requests("TransactWriteItems") - pages;
    }

    /** Every batch as {stream second, shard, index}, in the order the stream delivers them. */
    private static List<double[]> deliveryOrder(UsageWorkload workload) {
        List<double[]> order = new ArrayList<>();
        for (int shard = 0; shard < workload.shards.size(); shard++) {
            List<Double> times = workload.shards.get(shard).deliveredAt();
            for (int b = 0; b < times.size(); b++) {
                order.add(new double[] {times.get(b), shard, b});
            }
        }
        order.sort((a, b) -> Double.compare(a[0], b[0]));
        return order;
    }

    private Measured measureNaive(UsageWorkload workload) {
        Map<Table, String> tables = freshTables();
        DynamoDbMeter meter = new DynamoDbMeter();
        ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM, Workers.daemon("naive"));
        try (DynamoDbClient dynamo = client(meter)) {
            NaiveIngest naive = new NaiveIngest(dynamo, tables.get(Table.REJECTS), tables.get(Table.USAGE), workers,
                    EventTimePolicy.defaults(clockAfter(workload)));
            long records = 0;
            long started = System.nanoTime();
            for (List<StreamRecord> batch : workload.allBatches()) {
                if (records >= NAIVE_RECORDS) {
                    break;
                }
                naive.process(batch);
                records += batch.size();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            boolean whole = records >= workload.events;
            Map<String, BigDecimal> stored = totals(dynamo, tables.get(Table.USAGE));
            return new Measured(records, meter.totalRequests(), meter.writeUnits(), meter.readUnits(), seconds,
                    whole && normalise(workload.expected).equals(normalise(stored)), 0, -1);
        } finally {
            workers.shutdownNow();
        }
    }

    private static Measured measured(UsageWorkload workload, DynamoDbMeter meter, double seconds,
                                     Map<String, BigDecimal> stored, long rejected, long conflicts) {
        boolean exact = normalise(workload.expected).equals(normalise(stored));
        return new Measured(workload.events, meter.totalRequests(), meter.writeUnits(), meter.readUnits(), seconds, exact,
                rejected, conflicts);
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
        return Clock.fixed(START.plusSeconds((long) workload.streamSeconds() + 60), ZoneOffset.UTC);
    }

    private Map<Table, String> freshTables() {
        String suffix = "-bench-ingest-" + (++runs);
        Map<Table, String> names = new java.util.EnumMap<>(Table.class);
        for (Table table : Table.values()) {
            names.put(table, table.localName() + suffix);
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
