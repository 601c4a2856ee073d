package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.LocalCoordinatorBilling.Period;
import com.poolhub.metering.local.RecordingHttpEndpoint.Fault;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sync against the local DynamoDB emulator and a local coordinator whose ledger applies each idempotency key
 * once: whatever faults are injected, after recovery the ledger equals the usage, with nothing
 * billed twice and nothing missing.
 */
class BillingSyncExactlyOnceTest {
    private static final Instant H10 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant H11 = Instant.parse("2026-11-22T11:00:00Z");
    private static final Instant H12 = Instant.parse("2026-11-22T12:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-22T12:20:00Z");

    private final BillingFixture rig = new BillingFixture(NOW);

    @AfterEach
    void close() {
        rig.close();
    }

    /** acme and beta usage over three hours; the 12:00 hour is not closed at 12:20. */
    private void writeUsage() {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H10, "5400");
        rig.hours.put("acme", Resource.CPU, UsageUnit.COMPUTE_SECONDS, H10, "1800");
        rig.hours.put("acme", Resource.TPU, UsageUnit.COMPUTE_SECONDS, H10, "1800");
        rig.hours.put("acme", Resource.INFERENCE, UsageUnit.REQUESTS, H11, "120");
        rig.hours.put("acme", Resource.INFERENCE, UsageUnit.TOKENS, H11, "50000");
        rig.hours.put("beta", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H11, "1");
        rig.hours.put("beta", Resource.MEMORY, UsageUnit.GB_HOURS, H11, "3");
        rig.hours.put("beta", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H12, "7200");
    }

    private static Map<Period, BigDecimal> expectedLedger() {
        Map<Period, BigDecimal> expected = new TreeMap<>();
        expected.put(new Period("acme", "2026-11-22T10:00:00Z", "gpu_hours"), new BigDecimal("1.500000000"));
        expected.put(new Period("acme", "2026-11-22T10:00:00Z", "compute_hours"), new BigDecimal("1.000000000"));
        expected.put(new Period("acme", "2026-11-22T11:00:00Z", "api_calls"), new BigDecimal("120.000000000"));
        expected.put(new Period("beta", "2026-11-22T11:00:00Z", "gpu_hours"), new BigDecimal("0.000277778"));
        return expected;
    }

    @Test
    void sync_withServerErrorsTimeoutsAndLostResponses_billsEachRecordExactlyOnce() {
        writeUsage();
        Fault answer = new Fault.Delay(0);
        // one fault per record, each followed by a normal answer to its retry
        rig.coordinator.http().inject(new Fault.Status(500, "{}"), answer, new Fault.Delay(1600), answer,
                new Fault.LoseResponse(), answer, new Fault.Status(503, "{}"), answer);

        SyncReport report = rig.sync().run();

        assertEquals(4, report.recordsCreated());
        assertEquals(4, report.synced());
        assertEquals(0, report.failed());
        assertEquals(4, report.retried());
        assertEquals(H12, report.watermark());
        assertEquals(expectedLedger(), rig.coordinator.totals());
        assertEquals(4, rig.coordinator.ledger().size());
        assertEquals(4, rig.sleeps.size());
        rig.sleeps.forEach(wait -> assertTrue(wait.compareTo(BillingFixture.SETTINGS.retry().maxDelay()) <= 0));
        assertTrue(rig.store.recordsOf(H10).stream().allMatch(r -> r.status() == SyncStatus.ACCEPTED));
        assertTrue(rig.store.recordsOf(H11).stream().allMatch(r -> r.status() == SyncStatus.ACCEPTED));
        assertTrue(rig.published.received(BillingSync.FAILED_EVENT).isEmpty());

        int requests = rig.coordinator.http().requests().size();
        SyncReport again = rig.sync().run();
        assertEquals(0, again.recordsCreated());
        assertEquals(0, again.synced());
        assertEquals(requests, rig.coordinator.http().requests().size(), "a second run sends nothing");
    }

    @Test
    void sync_whenProcessDiesAfterApiAcceptedRecord_rerunResendsStoredRecordAndBillsItOnce() {
        writeUsage();
        FaultyStore dying = new FaultyStore(rig.store);
        dying.crashOnNextAccepts(1);

        assertThrows(FaultyStore.Crash.class, () -> rig.sync(dying).run());
        assertEquals(1, rig.coordinator.ledger().size(), "the API applied the first record before the crash");
        String appliedKey = rig.coordinator.ledger().get(0).idempotencyKey();
        assertEquals(SyncStatus.PENDING, rig.store.recordsOf(H10).stream()
                .filter(r -> r.idempotencyKey().equals(appliedKey)).findFirst().orElseThrow().status());
        assertEquals(H10, Instant.parse(appliedKey.split("/")[1]));

        // late usage for the crashed record's period lands before the rerun
        rig.hours.put("acme", Resource.CPU, UsageUnit.COMPUTE_SECONDS, H10, "5400");
        rig.clock.advance(Duration.ofHours(1));
        SyncReport rerun = rig.sync().run();

        assertEquals(1, rig.coordinator.replays(), "the crashed record was resent under its key and not applied again");
        Map<Period, BigDecimal> expected = expectedLedger();
        expected.put(new Period("acme", "2026-11-22T10:00:00Z", "compute_hours"), new BigDecimal("2.000000000"));
        expected.put(new Period("beta", "2026-11-22T12:00:00Z", "gpu_hours"), new BigDecimal("2.000000000"));
        assertEquals(expected, rig.coordinator.totals());
        assertEquals(1, rerun.adjustments());
        assertEquals(0, rerun.failed());
        assertEquals(Instant.parse("2026-11-22T13:00:00Z"), rerun.watermark());
    }

    @Test
    void sync_whenUsageArrivesAfterWindowWasBilled_billsOnlyTheDeltaAsAnAdjustment() {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H10, "5400");
        rig.sync().run();
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H10, "7200");
        rig.clock.advance(Duration.ofHours(3));

        SyncReport report = rig.sync().run();

        assertEquals(1, report.adjustments());
        List<String> keys = rig.coordinator.ledger().stream().map(e -> e.idempotencyKey()).toList();
        assertEquals(List.of("acme/2026-11-22T10:00:00Z/gpu_hours", "acme/2026-11-22T10:00:00Z/gpu_hours/adj-1"), keys);
        assertEquals(new BigDecimal("0.500000000"), rig.coordinator.ledger().get(1).quantity());
        assertEquals(new BigDecimal("2.000000000"), rig.billed("acme", "2026-11-22T10:00:00Z", BillingMetric.GPU_HOURS));
        assertEquals(0, rig.sync().run().recordsCreated(), "nothing new: no further adjustment");
    }

    @Test
    void sync_whenApiStaysDown_givesUpPublishesBillingSyncFailedAndHoldsTheWatermark() {
        writeUsage();
        for (int i = 0; i < BillingFixture.SETTINGS.retry().maxAttempts(); i++) {
            rig.coordinator.http().inject(new Fault.Status(500, "{\"error\":\"down\"}"));
        }

        SyncReport down = rig.sync().run();

        assertEquals(1, down.failed());
        assertEquals(3, down.deferred(), "after giving up on one record the run stops calling the API");
        assertEquals(H10, down.watermark());
        assertEquals(Duration.between(H10, NOW).toSeconds(), down.lagSeconds());
        assertTrue(rig.coordinator.ledger().isEmpty());
        List<BusSubscription.Event> events = rig.published.received(BillingSync.FAILED_EVENT);
        assertEquals(1, events.size());
        JsonNode detail = events.get(0).detail();
        assertEquals(1, detail.get("failed").asInt());
        assertEquals(3, detail.get("deferred").asInt());
        assertEquals("2026-11-22T10:00:00Z", detail.get("watermark").asText());
        JsonNode failed = detail.get("records").get(0);
        assertEquals("FAILED", failed.get("status").asText());
        assertEquals(4, failed.get("attempts").asInt());
        assertTrue(failed.get("lastError").asText().contains("HTTP 500"), failed.toString());
        assertTrue(rig.store.recordsOf(H10).stream().anyMatch(r -> r.status() == SyncStatus.FAILED));

        rig.clock.advance(Duration.ofHours(1));
        SyncReport recovered = rig.sync().run();

        assertEquals(5, recovered.synced());
        assertEquals(Instant.parse("2026-11-22T13:00:00Z"), recovered.watermark());
        Map<Period, BigDecimal> expected = expectedLedger();
        expected.put(new Period("beta", "2026-11-22T12:00:00Z", "gpu_hours"), new BigDecimal("2.000000000"));
        assertEquals(expected, rig.coordinator.totals());
        assertEquals(1, rig.published.received(BillingSync.FAILED_EVENT).size(), "no failure event after recovery");
    }

    @Test
    void sync_beforeSettleDelayHasPassed_leavesTheHourUnbilled() {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H11, "3600");
        rig.clock.set(Instant.parse("2026-11-22T12:14:59Z"));

        SyncReport early = rig.sync().run();

        assertEquals(0, early.recordsCreated());
        assertEquals(H11, early.watermark());
        rig.clock.set(Instant.parse("2026-11-22T12:15:00Z"));
        SyncReport settled = rig.sync().run();
        assertEquals(1, settled.synced());
        assertEquals(H12, settled.watermark());
        assertEquals(new BigDecimal("1.000000000"), rig.billed("acme", "2026-11-22T11:00:00Z", BillingMetric.GPU_HOURS));
    }

    @Test
    void sync_whenApiRefusesRecord_marksItFailedWithoutRetryAndGoesOnWithTheOthers() {
        writeUsage();
        rig.coordinator.http().inject(new Fault.Status(422, "{\"error\":{\"code\":\"UNKNOWN_TENANT\"}}"));

        SyncReport report = rig.sync().run();

        assertEquals(1, report.failed());
        assertEquals(0, report.retried());
        assertEquals(3, report.synced());
        assertEquals(H10, report.watermark());
        UsageRecord refused = rig.store.recordsOf(H10).stream().filter(r -> r.status() == SyncStatus.FAILED)
                .findFirst().orElseThrow();
        assertTrue(refused.lastError().startsWith("refused: HTTP 422"), refused.lastError());
        assertNull(rig.billed(refused.tenant(), "2026-11-22T10:00:00Z", refused.metric()));

        SyncReport next = rig.sync().run();
        assertEquals(1, next.synced());
        assertEquals(expectedLedger(), rig.coordinator.totals());
    }
}
