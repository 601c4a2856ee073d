package com.poolhub.metering.billing;

import com.poolhub.metering.aws.Workers;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoUsageRollup;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.StreamRecord;
import com.poolhub.metering.local.LocalCoordinatorBilling.Period;
import com.poolhub.metering.local.RecordingHttpEndpoint.Fault;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.rollup.UsageMetricsSink;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * From events to the coordinator's ledger: the real ingest (exactly-once minute aggregates), the
 * real rollup (minutes into hours and up to months) and the sync, with a resent event, a late event
 * after its hour was billed, and a lost response on the way.
 */
class BillingEndToEndTest {
    private final BillingFixture rig = new BillingFixture(Instant.parse("2026-11-22T12:20:00Z"));
    private final ExecutorService workers = Executors.newFixedThreadPool(2, Workers.daemon("rollup-test"));
    private final IngestPipeline<UsageEvent, UsageKey> ingest = new UsageIngestion(rig.tables.get(Table.USAGE),
            rig.tables.get(Table.REJECTS), Duration.ofDays(35), Duration.ofDays(35), 2).pipeline(rig.dynamo, rig.clock);
    private final DynamoUsageRollup rollup = new DynamoUsageRollup(rig.dynamo, rig.tables.get(Table.USAGE),
            UsageMetricsSink.none(), workers, 1000);
    private long sequence;

    @AfterEach
    void close() {
        workers.shutdownNow();
        rig.close();
    }

    private void send(String... events) {
        List<StreamRecord> records = new ArrayList<>();
        for (String event : events) {
            sequence++;
            records.add(new StreamRecord("shardId-000000000000", Long.toString(sequence), "acme", rig.clock.instant(),
                    ByteBuffer.wrap(event.getBytes(StandardCharsets.UTF_8))));
        }
        assertEquals(0, ingest.process(records).failedSequenceNumbers().size());
        rollup.runAll();
    }

    private static String usage(String id, String resource, String unit, String quantity, String time) {
        return UsageEventJson.event("//nodes/gpu-node-1", id, "acme", resource, unit, quantity, Instant.parse(time)).toString();
    }

    @Test
    void eventsThroughIngestAndRollup_areBilledExactlyOnceIncludingLateOnesAsAdjustments() {
        String resent = usage("e2", "GPU", "compute_seconds", "1800", "2026-11-22T10:50:00Z");
        send(usage("e1", "GPU", "compute_seconds", "1800", "2026-11-22T10:05:00Z"), resent,
                usage("e3", "CPU", "compute_seconds", "720", "2026-11-22T11:10:00Z"),
                usage("e4", "INFERENCE", "requests", "5", "2026-11-22T11:15:00Z"),
                usage("e5", "INFERENCE", "tokens", "900", "2026-11-22T11:15:00Z"));
        send(resent);
        rig.coordinator.http().inject(new Fault.LoseResponse());

        SyncReport first = rig.sync().run();

        assertEquals(3, first.synced());
        Map<Period, BigDecimal> expected = new TreeMap<>();
        expected.put(new Period("acme", "2026-11-22T10:00:00Z", "gpu_hours"), new BigDecimal("1.000000000"));
        expected.put(new Period("acme", "2026-11-22T11:00:00Z", "compute_hours"), new BigDecimal("0.200000000"));
        expected.put(new Period("acme", "2026-11-22T11:00:00Z", "api_calls"), new BigDecimal("5.000000000"));
        assertEquals(expected, rig.coordinator.totals());

        rig.clock.advance(Duration.ofHours(2));
        send(usage("e6", "GPU", "compute_seconds", "360", "2026-11-22T10:30:00Z"), resent);
        SyncReport second = rig.sync().run();

        assertEquals(1, second.adjustments());
        expected.put(new Period("acme", "2026-11-22T10:00:00Z", "gpu_hours"), new BigDecimal("1.100000000"));
        assertEquals(expected, rig.coordinator.totals());
        assertEquals(4, rig.coordinator.ledger().size());
    }

    @Test
    void eventAtTheEdgeOfTheLateArrivalWindow_ingestedAfterTheLastSyncOfItsHourWithinThatWindow_isBilledOnce() {
        rig.clock.set(Instant.parse("2026-11-22T13:20:00Z"));
        send(usage("e1", "GPU", "compute_seconds", "1800", "2026-11-22T12:10:00Z"));
        rig.sync().run();
        // 35 days minus one minute old when it arrives, after the 13:20 run (whose 35 days still held its hour)
        rig.clock.set(Instant.parse("2026-11-22T13:58:00Z"));
        send(usage("late", "GPU", "compute_seconds", "720", "2026-10-18T13:59:00Z"));
        rig.clock.set(Instant.parse("2026-11-22T14:20:00Z"));

        SyncReport next = rig.sync().run();

        assertEquals(1, next.synced());
        assertEquals(new BigDecimal("0.200000000"), rig.billed("acme", "2026-10-18T13:00:00Z", BillingMetric.GPU_HOURS));
        rig.clock.advance(Duration.ofHours(1));
        assertEquals(0, rig.sync().run().recordsCreated(), "billed once: later runs add nothing");
        assertEquals(2, rig.coordinator.ledger().size());
    }
}
