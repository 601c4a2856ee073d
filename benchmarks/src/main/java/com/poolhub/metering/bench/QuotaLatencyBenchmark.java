package com.poolhub.metering.bench;

import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.RateLimit;
import com.poolhub.metering.quota.function.QuotaService;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.RecordingPublisher;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Prints DynamoDB requests per call (writes whose condition failed apart) and p50/p99 latency of
 * quota check and consume on the local DynamoDB emulator. Each measured call is followed by a
 * consistent GetItem of a quota item and a bare ADD UpdateItem through an unmetered client, so each
 * row has its own baselines under the same load (the ratio columns are its p50 over theirs).
 * Rows: one period, three periods, three periods and a rate limit, one period and a rate limit, a
 * refused consume, a consume with an Idempotency-Key, a check, and 32 concurrent callers. Part of
 * the benchmark command: {@code quota} selects it.
 */
final class QuotaLatencyBenchmark {
    private static final int WARMUP = 300;
    private static final int ROUNDS = 2000;
    private static final int CONCURRENT = 32;
    private static final BigDecimal HUGE = new BigDecimal("1000000000000");

    private QuotaLatencyBenchmark() {
    }

    @FunctionalInterface
    private interface Step {
        void run();
    }

    /** Runs {@code ROUNDS × scale} measured calls per line. */
    static void run(double scale) throws Exception {
        int rounds = Math.max(64, (int) (ROUNDS * scale));
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoDbClient dynamo = LocalDynamo.client(meter);
        String table = LocalDynamo.freshTables().get(Table.QUOTAS);
        QuotaService service = new QuotaService(new DynamoQuotaStore(dynamo, table), new RecordingPublisher(),
                Clock.systemUTC());
        limits(service, "one-period", HUGE, QuotaPeriod.DAY);
        limits(service, "three-periods", HUGE, QuotaPeriod.values());
        limits(service, "three-and-rate", HUGE, QuotaPeriod.values());
        service.setLimits("three-and-rate", gpu(QuotaPeriod.DAY, HUGE),
                Optional.of(Optional.of(new RateLimit(RateLimit.MAX, RateLimit.MAX))));
        service.setLimits("one-and-rate", gpu(QuotaPeriod.DAY, HUGE),
                Optional.of(Optional.of(new RateLimit(RateLimit.MAX, RateLimit.MAX))));
        limits(service, "spent", BigDecimal.ZERO, QuotaPeriod.values());
        Map<String, AttributeValue> quotaItem = Map.of("pk", AttributeValue.fromS("three-periods#QUOTA"),
                "sk", AttributeValue.fromS("GPU#compute_seconds"));
        Map<String, AttributeValue> scratch = Map.of("pk", AttributeValue.fromS("bench#SCRATCH"),
                "sk", AttributeValue.fromS("counter"));
        BigDecimal one = BigDecimal.ONE;
        AtomicLong keys = new AtomicLong();
        DynamoDbClient unmetered = LocalDynamo.client();
        Baseline baseline = new Baseline(() -> unmetered.getItem(b -> b.tableName(table).key(quotaItem)
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)),
                () -> unmetered.updateItem(b -> b.tableName(table).key(scratch).updateExpression("ADD #n :one")
                        .expressionAttributeNames(Map.of("#n", "n"))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));

        System.out.printf("%nQuota: local DynamoDB emulator (moto), %d requests per line after %d warm-up; each call is"
                + " followed by a consistent GetItem of a quota item and a bare ADD UpdateItem (unmetered), whose p50s"
                + " the ratios divide by%n", rounds, WARMUP);
        System.out.printf("%-36s %8s %8s %8s %8s %8s %8s  %s%n", "operation", "p50 ms", "p99 ms", "Get p50", "p50/Get",
                "Upd p50", "p50/Upd", "DynamoDB requests per call");
        measure("consume, 1 period", rounds, 1, meter, baseline, () -> gpu(service, "one-period", one));
        measure("consume, 3 periods", rounds, 1, meter, baseline, () -> gpu(service, "three-periods", one));
        measure("consume, 3 periods + rate limit", rounds, 1, meter, baseline, () -> gpu(service, "three-and-rate", one));
        measure("consume, 1 period + rate limit", rounds, 1, meter, baseline, () -> gpu(service, "one-and-rate", one));
        measure("consume refused (3 periods spent)", rounds, 1, meter, baseline, () -> gpu(service, "spent", one));
        measure("consume with Idempotency-Key", rounds, 1, meter, baseline, () -> service.consume("three-periods",
                Resource.GPU, UsageUnit.COMPUTE_SECONDS, one,
                new QuotaService.IdempotencyKey("k" + keys.incrementAndGet(), granted -> "{}")));
        measure("check, 3 periods", rounds, 1, meter, baseline,
                () -> service.check("three-periods", Resource.GPU, UsageUnit.COMPUTE_SECONDS, one));
        measure("consume, 3 periods, 32 callers", rounds, CONCURRENT, meter, baseline,
                () -> gpu(service, "three-periods", one));
    }

    /** The round trips each measured call is followed by, so that a row and its baseline see the same load. */
    private record Baseline(Step get, Step update) {
    }

    private static QuotaLimit gpu(QuotaPeriod period, BigDecimal limit) {
        return new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, period, limit, BigDecimal.valueOf(80), true);
    }

    private static void limits(QuotaService service, String tenant, BigDecimal limit, QuotaPeriod... periods) {
        for (QuotaPeriod period : periods) {
            service.setLimits(tenant, gpu(period, limit), Optional.empty());
        }
    }

    private static void gpu(QuotaService service, String tenant, BigDecimal amount) {
        service.consume(tenant, Resource.GPU, UsageUnit.COMPUTE_SECONDS, amount);
    }

    /**
     * Runs the step {@code rounds} times over {@code callers} threads, each call followed by the
     * baseline's GetItem and UpdateItem, and prints its line.
     */
    private static void measure(String name, int rounds, int callers, DynamoDbMeter meter, Baseline baseline, Step step)
            throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            step.run();
        }
        meter.reset();
        long[] nanos = new long[rounds];
        long[] gets = new long[rounds];
        long[] updates = new long[rounds];
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int first = c;
                running.add(pool.submit(() -> {
                    for (int i = first; i < rounds; i += callers) {
                        nanos[i] = timed(step);
                        gets[i] = timed(baseline.get());
                        updates[i] = timed(baseline.update());
                    }
                }));
            }
            for (Future<?> caller : running) {
                caller.get();
            }
        } finally {
            pool.shutdown();
        }
        Arrays.sort(nanos);
        Arrays.sort(gets);
        Arrays.sort(updates);
        StringBuilder requests = new StringBuilder();
        meter.requests().forEach((op, count) -> requests.append(op).append('=')
                .append(String.format("%.2f", count / (double) rounds)).append(' '));
        meter.conditionFailures().forEach((op, count) -> requests.append(op).append("(condition failed)=")
                .append(String.format("%.2f", count / (double) rounds)).append(' '));
        requests.append(String.format("(WCU %.2f, RCU %.2f)", meter.writeUnits() / rounds, meter.readUnits() / rounds));
        double p50 = percentile(nanos, 50);
        double getP50 = percentile(gets, 50);
        double updateP50 = percentile(updates, 50);
        System.out.printf("%-36s %8.3f %8.3f %8.3f %8s %8.3f %8s  %s%n", name, p50, percentile(nanos, 99), getP50,
                ratio(p50, getP50), updateP50, ratio(p50, updateP50), requests);
    }

    private static long timed(Step step) {
        long start = System.nanoTime();
        step.run();
        return System.nanoTime() - start;
    }

    private static String ratio(double p50, double baseP50) {
        return baseP50 == 0 ? "" : String.format("%.2fx", p50 / baseP50);
    }

    private static double percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
