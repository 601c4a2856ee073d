package com.poolhub.metering.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChainCheck;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditQuery;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.ChainVerification;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.quota.QuotaLimit;
import com.poolhub.metering.quota.QuotaPeriod;
import com.poolhub.metering.quota.function.QuotaService;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.RecordingPublisher;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The audit trail on the local DynamoDB emulator: appends per second, p50 and p99 with 1 and 8
 * concurrent writers on the one chain (small records, and records with 4 KB before/after), the
 * requests and capacity units each append costs (lost races included), a quota limit change
 * without and with its audit record, a day's verification and a filtered page. Part of the
 * benchmark command: {@code audit} selects it.
 */
final class AuditBenchmark {
    private static final int WARMUP = 50;
    private static final int ROUNDS = 1000;
    private static final AuditActor ADMIN = new AuditActor("0f1e2d3c4b5a6978", "ADMIN", "ops", "bench");

    private AuditBenchmark() {
    }

    @FunctionalInterface
    private interface Step {
        void run(int i);
    }

    /** Counts transactions cancelled by a lost race, which the meter does not see (they return no capacity). */
    private static final class LostRaces implements ExecutionInterceptor {
        private final LongAdder cancelled = new LongAdder();

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            if (context.exception() instanceof TransactionCanceledException) {
                cancelled.increment();
            }
        }
    }

    private static final LostRaces LOST_RACES = new LostRaces();

    static void run(double scale) throws Exception {
        int rounds = Math.max(100, (int) (ROUNDS * scale));
        DynamoDbMeter meter = new DynamoDbMeter();
        DynamoDbClient dynamo = LocalDynamo.client(meter, LOST_RACES);
        Map<Table, String> tables = LocalDynamo.freshTables();
        DynamoAuditLog log = new DynamoAuditLog(dynamo, tables.get(Table.AUDIT), Duration.ofDays(400), Clock.systemUTC());
        QuotaService quotas = new QuotaService(new DynamoQuotaStore(dynamo, tables.get(Table.QUOTAS)), new RecordingPublisher(),
                Clock.systemUTC());
        ObjectNode small = Json.object().put("limit", "3600").put("period", "DAY");
        ObjectNode large = Json.object().put("note", "x".repeat(4096));
        Map<String, AttributeValue> someKey = Map.of("pk", AttributeValue.fromS("HEAD"), "sk", AttributeValue.fromS("HEAD"));

        System.out.printf("%nAudit trail: local DynamoDB emulator (moto), %d calls per line after %d warm-up%n", rounds, WARMUP);
        System.out.printf("%-44s %9s %8s %8s %6s  %s%n", "operation", "calls/s", "p50 ms", "p99 ms", "races",
                "DynamoDB requests per call (races: cancelled transactions per call, not in the counts)");
        measure("GetItem round trip (consistent)", rounds, 1, meter, i -> dynamo.getItem(b -> b
                .tableName(tables.get(Table.AUDIT)).key(someKey).consistentRead(true)));
        measure("append, 1 writer, small record", rounds, 1, meter, i -> log.append(ADMIN, change("acme-" + i, small)));
        measure("append, 8 writers, small record", rounds, 8, meter, i -> log.append(ADMIN, change("acme-" + i, small)));
        measure("append, 1 writer, 4 KB before and after", rounds, 1, meter, i -> log.append(ADMIN,
                new AuditChange(AuditTypes.QUOTA_LIMITS_SET, "acme-" + i, large, large)));
        measure("append, 8 writers, 4 KB before and after", rounds, 8, meter, i -> log.append(ADMIN,
                new AuditChange(AuditTypes.QUOTA_LIMITS_SET, "acme-" + i, large, large)));
        measure("limit change alone (setLimits)", rounds, 1, meter, i -> quotas.setLimits("tenant-" + i % 50,
                limit(i), Optional.empty()));
        measure("limit change with its audit record", rounds, 1, meter, i -> {
            log.append(ADMIN, change("tenant-" + i % 50, small));
            quotas.setLimits("tenant-" + i % 50, limit(i), Optional.empty());
        });

        LocalDate today = Instant.now().atZone(ZoneOffset.UTC).toLocalDate();
        AuditChainCheck check = new AuditChainCheck(log, Clock.systemUTC(), Duration.ofDays(400));
        meter.reset();
        long began = System.nanoTime();
        ChainVerification verification = check.verify(today);
        double verifyMs = (System.nanoTime() - began) / 1e6;
        System.out.printf("verify today's chain: %d records, intact %s, %.0f ms, %s%n", verification.records(),
                verification.intact(), verifyMs, requests(meter, 1));
        AuditQuery query = new AuditQuery(Instant.now().minus(Duration.ofHours(1)), Instant.now().plusSeconds(1),
                Optional.of(AuditTypes.QUOTA_LIMITS_SET), Optional.of("ops"));
        meter.reset();
        began = System.nanoTime();
        int listed = log.page(query, Optional.empty(), 100).records().size();
        System.out.printf("GET /audit page (type and principal filter, limit 100): %d records, %.0f ms, %s%n", listed,
                (System.nanoTime() - began) / 1e6, requests(meter, 1));
    }

    private static AuditChange change(String tenant, ObjectNode after) {
        return new AuditChange(AuditTypes.QUOTA_LIMITS_SET, tenant, null, after);
    }

    private static QuotaLimit limit(int i) {
        return new QuotaLimit(Resource.GPU, UsageUnit.COMPUTE_SECONDS, QuotaPeriod.DAY, BigDecimal.valueOf(1000 + i),
                BigDecimal.valueOf(80), true);
    }

    /** Runs the step {@code rounds} times over {@code callers} threads and prints its line. */
    private static void measure(String name, int rounds, int callers, DynamoDbMeter meter, Step step) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            step.run(-1 - i);
        }
        meter.reset();
        LOST_RACES.cancelled.reset();
        long[] nanos = new long[rounds];
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        long began = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int first = c;
                running.add(pool.submit(() -> {
                    for (int i = first; i < rounds; i += callers) {
                        long start = System.nanoTime();
                        step.run(i);
                        nanos[i] = System.nanoTime() - start;
                    }
                    return null;
                }));
            }
            for (Future<?> caller : running) {
                caller.get();
            }
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        Arrays.sort(nanos);
        System.out.printf("%-44s %9.1f %8.3f %8.3f %6.2f  %s%n", name, rounds / seconds, percentile(nanos, 50),
                percentile(nanos, 99), LOST_RACES.cancelled.sum() / (double) rounds, requests(meter, rounds));
    }

    private static String requests(DynamoDbMeter meter, int calls) {
        StringBuilder out = new StringBuilder();
        meter.requests().forEach((op, count) -> out.append(op).append('=')
                .append(String.format("%.2f", count / (double) calls)).append(' '));
        return out.append(String.format("(WCU %.2f, RCU %.2f)", meter.writeUnits() / calls, meter.readUnits() / calls)).toString();
    }

    private static double percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
