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
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Prints DynamoDB requests per check and per consume, and p50/p99 latency of consume on DynamoDB
 * Local beside a plain GetItem round trip measured in the same run (single caller, sequential
 * requests). Part of the benchmark command: {@code quota} selects it.
 */
final class QuotaLatencyBenchmark {
    private static final int WARMUP = 300;
    private static final int ROUNDS = 2000;

    private QuotaLatencyBenchmark() {
    }

    @FunctionalInterface
    private interface Step {
        void run();
    }

    /** Runs {@code ROUNDS × scale} measured calls per line. */
    static void run(double scale) {
        int rounds = Math.max(50, (int) (ROUNDS * scale));
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoDbClient dynamo = LocalDynamo.client(meter);
        String table = LocalDynamo.freshTables().get(Table.QUOTAS);
        DynamoQuotaStore store = new DynamoQuotaStore(dynamo, table);
        QuotaService service = new QuotaService(store, new RecordingPublisher(), Clock.systemUTC());
        BigDecimal huge = new BigDecimal("1000000000000");
        service.setLimits("quota-only", new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY, huge,
                BigDecimal.valueOf(80), true), Optional.empty());
        service.setLimits("quota-and-rate", new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY, huge,
                BigDecimal.valueOf(80), true), Optional.of(Optional.of(new RateLimit(RateLimit.MAX, RateLimit.MAX))));
        Map<String, AttributeValue> someKey = Map.of("pk", AttributeValue.fromS("quota-only#CONFIG"),
                "sk", AttributeValue.fromS("RATE"));
        BigDecimal one = BigDecimal.ONE;

        System.out.printf("%nQuota: local DynamoDB emulator (moto), single caller, %d sequential requests per line after %d warm-up%n", rounds, WARMUP);
        System.out.printf("%-34s %9s %9s %9s  %s%n", "operation", "p50 ms", "p99 ms", "mean ms", "DynamoDB requests per call");
        measure("GetItem round trip (consistent)", rounds, meter, () -> dynamo.getItem(b -> b.tableName(table).key(someKey).consistentRead(true)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        measure("check (1 quota)", rounds, meter,
                () -> service.check("quota-only", Resource.GPU, UsageUnit.COMPUTE_SECONDS, one));
        measure("consume (1 hard quota)", rounds, meter,
                () -> service.consume("quota-only", Resource.GPU, UsageUnit.COMPUTE_SECONDS, one));
        measure("consume (1 hard quota + rate)", rounds, meter,
                () -> service.consume("quota-and-rate", Resource.GPU, UsageUnit.COMPUTE_SECONDS, one));
        measure("consume (rate only, no quota)", rounds, meter,
                () -> service.consume("quota-and-rate", Resource.INFERENCE, UsageUnit.TOKENS, one));
    }

    private static void measure(String name, int rounds, DynamoDbMeter meter, Step step) {
        for (int i = 0; i < WARMUP; i++) {
            step.run();
        }
        meter.reset();
        long[] nanos = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            step.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double mean = Arrays.stream(nanos).average().orElse(0) / 1e6;
        StringBuilder requests = new StringBuilder();
        meter.requests().forEach((op, count) -> requests.append(op).append('=')
                .append(String.format("%.2f", count / (double) rounds)).append(' '));
        requests.append(String.format("(WCU %.2f, RCU %.2f)", meter.writeUnits() / rounds, meter.readUnits() / rounds));
        System.out.printf("%-34s %9.3f %9.3f %9.3f  %s%n", name, percentile(nanos, 50), percentile(nanos, 99), mean, requests);
    }

    private static double percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
