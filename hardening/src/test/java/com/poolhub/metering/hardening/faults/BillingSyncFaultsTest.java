package com.poolhub.metering.hardening.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.UsageAggregateCodec;
import com.poolhub.metering.billing.BillingRecordStore;
import com.poolhub.metering.billing.BillingSync;
import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.billing.CoordinatorBilling;
import com.poolhub.metering.billing.RetryPolicy;
import com.poolhub.metering.billing.SyncReport;
import com.poolhub.metering.billing.SyncSettings;
import com.poolhub.metering.billing.SyncStatus;
import com.poolhub.metering.billing.UsageRecord;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.billing.aws.DynamoHourlyUsage;
import com.poolhub.metering.billing.aws.HttpCoordinatorBilling;
import com.poolhub.metering.hardening.support.KillSwitch;
import com.poolhub.metering.local.LocalCoordinatorBilling;
import com.poolhub.metering.local.LocalCoordinatorBilling.Period;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import com.poolhub.metering.local.RecordingHttpEndpoint.Fault;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.RecordingPublisher;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The billing sync killed at every point where it changes something, in turn: before and after each of
 * its DynamoDB writes (record creations, accepted marks, the watermark), and right after the
 * coordinator applied each request (the response lost with the container); plus each coordinator
 * response lost while the run goes on. After one healthy rerun the coordinator's ledger equals the
 * billable usage per tenant, hour and metric exactly, no idempotency key was ever sent with two
 * bodies, every record is accepted, the watermark ends where a fault-free run ends, and a further
 * rerun sends nothing.
 *
 * <p>The faulty run is the second of the day: the first billed two hours, then late usage arrived
 * for one of them (an adjustment) and a new hour closed for three tenants.
 */
class BillingSyncFaultsTest {
    private static final String API_KEY = "coordinator-key-faults";
    private static final SyncSettings SETTINGS = new SyncSettings(Duration.ofMinutes(15),
            new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5)));
    private static final UsageAggregateCodec CODEC = new UsageAggregateCodec(Duration.ofDays(36));
    private static final HttpClient HTTP = HttpCoordinatorBilling.client(Duration.ofSeconds(2));
    private static final Instant H09 = Instant.parse("2026-11-22T09:00:00Z");
    private static final Instant H10 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant H11 = Instant.parse("2026-11-22T11:00:00Z");
    private static final Instant H12 = Instant.parse("2026-11-22T12:00:00Z");
    private static final Instant FIRST_RUN = Instant.parse("2026-11-22T11:20:00Z");
    private static final Instant FAULTY_RUN = Instant.parse("2026-11-22T12:20:00Z");

    /** The billable usage per tenant, hour and metric, worked out by hand from {@link Rig#Rig()}. */
    private static final Map<Period, BigDecimal> EXPECTED = new TreeMap<>(Map.of(
            new Period("acme", "2026-11-22T09:00:00Z", "gpu_hours"), new BigDecimal("2.000000000"),
            new Period("acme", "2026-11-22T09:00:00Z", "compute_hours"), new BigDecimal("0.500000000"),
            new Period("beta", "2026-11-22T10:00:00Z", "api_calls"), new BigDecimal("120.000000000"),
            new Period("acme", "2026-11-22T11:00:00Z", "gpu_hours"), new BigDecimal("1.000000000"),
            new Period("acme", "2026-11-22T11:00:00Z", "compute_hours"), new BigDecimal("0.250000000"),
            new Period("beta", "2026-11-22T11:00:00Z", "gpu_hours"), new BigDecimal("0.000277778"),
            new Period("gamma", "2026-11-22T11:00:00Z", "api_calls"), new BigDecimal("7.000000000")));

    @TestFactory
    Stream<DynamicTest> killedAtEveryWriteAndCoordinatorCall_rerunBillsEachPeriodExactlyOnce() {
        KillSwitch writes = KillSwitch.counting();
        AtomicInteger calls = new AtomicInteger();
        Instant watermark;
        try (Rig rig = new Rig()) {
            SyncReport report = rig.sync(rig.client(writes), coordinator -> record -> {
                calls.incrementAndGet();
                return coordinator.submit(record);
            }).run();
            assertEquals(0, report.failed());
            assertEquals(5, report.recordsCreated());
            assertEquals(1, report.adjustments());
            watermark = report.watermark();
            assertEquals(H12, watermark);
            rig.assertBilledExactlyOnce(watermark, "fault-free");
        }
        int writePoints = writes.writes();
        int callPoints = calls.get();
        assertEquals(17, writePoints, "5 records created, 5 marked accepted, 6 changed hour totals cleared, 1 watermark move");
        assertEquals(5, callPoints, "one coordinator request per new record");
        System.out.printf("billing sync faults: %d DynamoDB write points, %d coordinator call points%n",
                writePoints, callPoints);

        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 1; k <= writePoints; k++) {
            int at = k;
            tests.add(DynamicTest.dynamicTest("killed before DynamoDB write " + at + " of " + writePoints,
                    () -> killAndRecover(watermark, rig -> rig.sync(rig.client(KillSwitch.atWrite(at)),
                            UnaryOperator.identity()))));
            tests.add(DynamicTest.dynamicTest("killed after DynamoDB write " + at + " of " + writePoints + " applied",
                    () -> killAndRecover(watermark, rig -> rig.sync(rig.client(KillSwitch.afterWrite(at)),
                            UnaryOperator.identity()))));
        }
        for (int k = 1; k <= callPoints; k++) {
            int at = k;
            tests.add(DynamicTest.dynamicTest("killed after coordinator applied request " + at + " of " + callPoints,
                    () -> killAndRecover(watermark, rig -> rig.sync(rig.dynamo, coordinator -> dyingAt(at, coordinator)))));
            tests.add(DynamicTest.dynamicTest("coordinator response " + at + " of " + callPoints + " lost, run goes on",
                    () -> {
                        try (Rig rig = new Rig()) {
                            rig.loseResponse(at);
                            SyncReport report = rig.sync(rig.dynamo, UnaryOperator.identity()).run();
                            assertEquals(1, report.retried(), "the lost request is resent once");
                            assertEquals(1, rig.coordinator.replays(), "the resend is recognised, not applied again");
                            rig.assertBilledExactlyOnce(watermark, "response " + at + " lost");
                        }
                    }));
        }
        return tests.stream();
    }

    /** Runs the sync built by {@code dying} until it dies, then reruns healthy twice and checks the outcome. */
    private static void killAndRecover(Instant faultFreeWatermark, Function<Rig, BillingSync> dying) {
        try (Rig rig = new Rig()) {
            RuntimeException death = assertThrows(RuntimeException.class, () -> dying.apply(rig).run());
            assertTrue(Stream.iterate((Throwable) death, t -> t != null, Throwable::getCause)
                    .anyMatch(t -> String.valueOf(t.getMessage()).startsWith("simulated crash")),
                    () -> "the run died at its kill point, not of " + death);
            rig.clock.advance(Duration.ofMinutes(5));
            SyncReport rerun = rig.sync(rig.dynamo, UnaryOperator.identity()).run();
            assertEquals(0, rerun.failed());
            rig.assertBilledExactlyOnce(faultFreeWatermark, "after the kill");
        }
    }

    /** The coordinator seen by a function that dies right after its k-th request was applied. */
    private static CoordinatorBilling dyingAt(int k, CoordinatorBilling coordinator) {
        AtomicInteger calls = new AtomicInteger();
        return record -> {
            CoordinatorBilling.Submission submission = coordinator.submit(record);
            if (calls.incrementAndGet() == k) {
                throw new IllegalStateException("simulated crash after coordinator request " + k + " was applied");
            }
            return submission;
        };
    }

    /**
     * Fresh tables and coordinator, the first run of the day done healthy at 11:20, then late usage
     * and a new closed hour written and the clock at 12:20, ready for the run under test.
     */
    private static final class Rig implements AutoCloseable {
        final Map<Table, String> tables = LocalDynamo.freshTables();
        final DynamoDbClient dynamo = LocalDynamo.client();
        final LocalCoordinatorBilling coordinator = LocalCoordinatorBilling.start(API_KEY);
        final RecordingPublisher events = new RecordingPublisher();
        final MutableClock clock = new MutableClock(FIRST_RUN);
        final BillingRecordStore store = new DynamoBillingRecordStore(dynamo, tables.get(Table.BILLING));
        private final List<DynamoDbClient> clients = new ArrayList<>();
        private final int requestsBefore;

        Rig() {
            hour("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H09, "5400");
            hour("acme", Resource.CPU, UsageUnit.COMPUTE_SECONDS, H09, "1800");
            hour("beta", Resource.INFERENCE, UsageUnit.REQUESTS, H10, "120");
            hour("beta", Resource.MEMORY, UsageUnit.GB_HOURS, H10, "4");
            SyncReport first = sync(dynamo, UnaryOperator.identity()).run();
            assertEquals(3, first.synced());
            assertEquals(H11, first.watermark());

            hour("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H09, "7200");
            hour("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H11, "3600");
            hour("acme", Resource.TPU, UsageUnit.COMPUTE_SECONDS, H11, "900");
            hour("beta", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H11, "1");
            hour("gamma", Resource.INFERENCE, UsageUnit.REQUESTS, H11, "7");
            hour("gamma", Resource.INFERENCE, UsageUnit.TOKENS, H11, "5000");
            hour("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, H12, "600");
            clock.set(FAULTY_RUN);
            requestsBefore = coordinator.http().requests().size();
        }

        /** Another client on the same tables, with interceptors (to count or kill), closed with the rig. */
        DynamoDbClient client(KillSwitch interceptor) {
            DynamoDbClient client = LocalDynamo.client(interceptor);
            clients.add(client);
            return client;
        }

        /** The sync on the given client, its coordinator wrapped as given (to count or kill). */
        BillingSync sync(DynamoDbClient client, UnaryOperator<CoordinatorBilling> wrap) {
            CoordinatorBilling http = new HttpCoordinatorBilling(coordinator.endpoint(),
                    new CachedApiKey(() -> API_KEY, Duration.ofHours(1), clock), HTTP, Duration.ofSeconds(1));
            return new BillingSync(new DynamoHourlyUsage(client, tables.get(Table.USAGE)),
                    new DynamoBillingRecordStore(client, tables.get(Table.BILLING)), wrap.apply(http), events,
                    SETTINGS, wait -> { }, new SplittableRandom(7), clock);
        }

        /** The k-th request of the run under test is applied, its response lost. */
        void loseResponse(int k) {
            List<Fault> faults = new ArrayList<>();
            for (int i = 1; i < k; i++) {
                faults.add(new Fault.Delay(0));
            }
            faults.add(new Fault.LoseResponse());
            coordinator.http().inject(faults.toArray(Fault[]::new));
        }

        /** Writes an HOUR usage item as the aggregator does (replacing an earlier total). */
        void hour(String tenant, Resource resource, UsageUnit unit, Instant hourStart, String quantity) {
            UsageKey key = new UsageKey(tenant, resource, unit, Granularity.HOUR, hourStart);
            Map<String, AttributeValue> item = new HashMap<>(CODEC.key(key));
            item.putAll(CODEC.encode(key, new UsageTotals(new BigDecimal(quantity), 1)));
            dynamo.putItem(b -> b.tableName(tables.get(Table.USAGE)).item(item));
        }

        /** The ledger, the stored records and the watermark after recovery; a further run sends nothing. */
        void assertBilledExactlyOnce(Instant faultFreeWatermark, String when) {
            assertEquals(EXPECTED, coordinator.totals(), when + ": billed per tenant, hour and metric");
            assertEquals(8, coordinator.ledger().size(), when + ": 3 first-run records, 4 new, 1 adjustment");
            Map<String, Set<String>> bodiesByKey = coordinator.http().requests().stream().collect(Collectors.groupingBy(
                    r -> r.header("Idempotency-Key"), Collectors.mapping(RecordingHttpEndpoint.Request::body,
                            Collectors.toSet())));
            bodiesByKey.forEach((key, bodies) -> assertEquals(1, bodies.size(), when + ": key " + key + " sent with "
                    + bodies));
            for (Instant hour : List.of(H09, H10, H11)) {
                for (UsageRecord record : store.recordsOf(hour)) {
                    assertEquals(SyncStatus.ACCEPTED, record.status(), when + ": " + record.idempotencyKey());
                }
            }
            assertEquals(faultFreeWatermark, store.watermark().through(), when + ": watermark");
            assertTrue(events.published(BillingSync.FAILED_EVENT).isEmpty(), when + ": no sync failure reported");

            int requests = coordinator.http().requests().size();
            SyncReport again = sync(dynamo, UnaryOperator.identity()).run();
            assertEquals(0, again.recordsCreated(), when + ": a further run creates nothing");
            assertEquals(0, again.hoursScanned(), when + ": no changed closed hour is left to bill");
            assertEquals(requests, coordinator.http().requests().size(), when + ": a further run sends nothing");
            assertEquals(faultFreeWatermark, again.watermark(), when + ": watermark after a further run");
            assertTrue(requests > requestsBefore, when + ": the run under test sent requests");
        }

        @Override
        public void close() {
            coordinator.close();
            clients.forEach(DynamoDbClient::close);
            dynamo.close();
        }
    }
}
