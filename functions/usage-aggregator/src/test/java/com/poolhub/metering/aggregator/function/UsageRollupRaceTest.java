package com.poolhub.metering.aggregator.function;

import com.poolhub.metering.aws.Workers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoUsageReader;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.RollupReport;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import com.poolhub.metering.usage.rollup.VersionedWindow;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** Rollups racing ingest and each other: nothing is lost and nothing counted twice. */
class UsageRollupRaceTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    private static final Instant MINUTE = Instant.parse("2026-11-22T10:15:00Z");

    private Map<Table, String> tables;
    private DynamoDbClient plain;
    private IngestPipeline<UsageEvent, UsageKey> pipeline;

    @BeforeEach
    void setUp() {
        tables = LocalDynamo.freshTables();
        plain = LocalDynamo.client();
        pipeline = new UsageIngestion(tables.get(Table.USAGE), tables.get(Table.REJECTS), Duration.ofDays(35),
                Duration.ofDays(35), 2).pipeline(plain, CLOCK);
    }

    private void ingest(String id, String quantity) {
        var event = new SyntheticUsage.Event("//nodes/n1", id, "acme", "GPU", "compute_seconds", new BigDecimal(quantity),
                MINUTE.plusSeconds(7));
        pipeline.process(SyntheticUsage.records(List.of(event), 1, id.hashCode() & 0xffff));
    }

    private DynamoUsageRollup rollup(DynamoDbClient client) {
        return new DynamoUsageRollup(client, tables.get(Table.USAGE), UsageMetricsSink.none(),
                Executors.newFixedThreadPool(2, Workers.daemon("race-rollup")), 1000);
    }

    /** Runs {@code action} once, just before the first UpdateItem whose expression starts with {@code prefix}. */
    private static ExecutionInterceptor before(String prefix, Runnable action) {
        AtomicBoolean done = new AtomicBoolean();
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof UpdateItemRequest update && update.updateExpression().startsWith(prefix)
                        && done.compareAndSet(false, true)) {
                    action.run();
                }
            }
        };
    }

    private BigDecimal total(Granularity granularity) {
        List<VersionedWindow> windows = new DynamoUsageReader(plain, tables.get(Table.USAGE), true)
                .all("acme", granularity, Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-01T00:00:00Z"));
        return windows.stream().map(w -> w.totals().quantity()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Test
    void rollup_whenAMinuteIsWrittenBeforeItsMarkIsCleared_keepsTheMarkAndCountsItNextRun() {
        ingest("e1", "1.5");
        DynamoUsageRollup racing = rollup(LocalDynamo.client(before("REMOVE", () -> ingest("e2", "2.25"))));

        RollupReport first = racing.run(Granularity.MINUTE);

        assertEquals(1, first.written());
        assertEquals(1, first.kept());
        assertEquals(0, new BigDecimal("1.5").compareTo(total(Granularity.HOUR)));
        assertEquals(1, racing.pendingMarks(Granularity.MINUTE));

        rollup(plain).runAll();

        assertEquals(0, new BigDecimal("3.75").compareTo(total(Granularity.HOUR)));
        assertEquals(0, new BigDecimal("3.75").compareTo(total(Granularity.MONTH)));
        assertEquals(0, rollup(plain).pendingMarks(Granularity.MINUTE));
    }

    @Test
    void rollup_whenAConcurrentRunWroteNewerTotals_doesNotOverwriteThemWithOlderOnes() {
        ingest("e1", "1.5");
        DynamoUsageRollup stale = rollup(LocalDynamo.client(before("SET", () -> {
            ingest("e2", "2.25");
            rollup(plain).run(Granularity.MINUTE);
        })));

        RollupReport late = stale.run(Granularity.MINUTE);

        assertEquals(1, late.superseded());
        assertEquals(0, new BigDecimal("3.75").compareTo(total(Granularity.HOUR)));
        rollup(plain).runAll();
        assertEquals(0, new BigDecimal("3.75").compareTo(total(Granularity.DAY)));
        assertEquals(0, new BigDecimal("3.75").compareTo(total(Granularity.MONTH)));
    }
}
