package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.dynamodb.BillingMarks;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The sync follows the hours whose totals changed, however old, and nothing else: a change to an
 * hour billed weeks ago is one adjustment, a repeated run bills nothing again, and a run with
 * nothing changed costs the same few requests whatever the history.
 */
class BillingSyncChangesTest {
    private static final Instant H10 = Instant.parse("2026-11-22T10:00:00Z");

    private final BillingFixture rig = new BillingFixture(Instant.parse("2026-11-22T12:20:00Z"));
    private final DynamoDbMeter meter = new DynamoDbMeter();
    private final DynamoDbClient metered = LocalDynamo.metered(meter);

    @AfterEach
    void close() {
        metered.close();
        rig.close();
    }

    @Test
    void sync_whenAnHourBilledWeeksAgoChanges_billsExactlyOneAdjustmentAndNothingTwice() {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H10, "5400");
        rig.hours.put("acme", Resource.CPU, UsageUnit.COMPUTE_SECONDS, H10, "3600");
        rig.sync().run();
        rig.clock.advance(Duration.ofDays(34));
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H10, "7200");

        SyncReport changed = rig.sync().run();
        SyncReport again = rig.sync().run();

        assertEquals(1, changed.recordsCreated());
        assertEquals(1, changed.adjustments());
        List<String> keys = rig.coordinator.ledger().stream().map(e -> e.idempotencyKey()).sorted().toList();
        assertEquals(List.of("acme/2026-11-22T10:00:00Z/compute_hours", "acme/2026-11-22T10:00:00Z/gpu_hours",
                "acme/2026-11-22T10:00:00Z/gpu_hours/adj-1"), keys);
        assertEquals(new BigDecimal("2.000000000"), rig.billed("acme", "2026-11-22T10:00:00Z", BillingMetric.GPU_HOURS));
        assertEquals(new BigDecimal("1.000000000"), rig.billed("acme", "2026-11-22T10:00:00Z", BillingMetric.COMPUTE_HOURS));
        assertEquals(0, again.recordsCreated());
        assertEquals(0, again.hoursScanned());
        assertEquals(3, rig.coordinator.http().requests().size(), "the repeated run sends nothing");
    }

    @Test
    void sync_withNothingChanged_makesTheSameFewRequestsWhateverTheHistory() {
        for (int hour = 1; hour <= 48; hour++) {
            rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H10.minus(Duration.ofHours(hour)), "3600");
            rig.hours.put("beta", Resource.CPU, UsageUnit.COMPUTE_SECONDS, H10.minus(Duration.ofHours(hour)), "3600");
        }
        assertEquals(96, rig.sync(metered).run().synced());

        for (Duration later : List.of(Duration.ofHours(1), Duration.ofDays(20))) {
            rig.clock.advance(later);
            meter.reset();
            SyncReport idle = rig.sync(metered).run();

            assertEquals(0, idle.recordsCreated());
            assertEquals(BillingMarks.SHARDS, meter.requests("Query"), meter.requests().toString());
            assertTrue(meter.totalRequests() <= BillingMarks.SHARDS + 2, meter.requests().toString());
        }
        assertEquals(96, rig.coordinator.ledger().size());
    }
}
