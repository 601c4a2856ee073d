package com.poolhub.metering.billing;

import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.billing.aws.DynamoHourlyUsage;
import com.poolhub.metering.billing.aws.DynamoSyncRunLog;
import com.poolhub.metering.billing.aws.HttpCoordinatorBilling;
import com.poolhub.metering.billing.function.BillingWiring;
import com.poolhub.metering.billing.function.InvoiceSettings;
import com.poolhub.metering.billing.invoice.InvoiceIssuer;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.billing.invoice.TestPriceBook;
import com.poolhub.metering.local.LocalCoordinatorBilling;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.local.EventBridgeFaultProxy;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.testing.LocalDynamo;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * Billing test rig: fresh local DynamoDB tables, a local coordinator billing API with a ledger, a
 * bus of its own on moto's EventBridge reached through a fault proxy (to fail chosen entries), a
 * subscription reading every event published on it, a movable clock and a sleeper that records backoff waits instead of sleeping.
 */
final class BillingFixture implements AutoCloseable {
    static final String API_KEY = "coordinator-key-1";
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(1000);
    static final SyncSettings SETTINGS = new SyncSettings(Duration.ofMinutes(15),
            new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5)));

    final Map<Table, String> tables = LocalDynamo.freshTables();
    final DynamoDbClient dynamo = LocalDynamo.client();
    final LocalCoordinatorBilling coordinator = LocalCoordinatorBilling.start(API_KEY);
    final EventBridgeFaultProxy eventBridge = EventBridgeFaultProxy.start();
    final EventBridgeClient eventBridgeClient = LocalAws.eventBridge(eventBridge.endpoint());
    final String busName = BusSubscription.freshBus("billing");
    final BusSubscription published = BusSubscription.toEverything(busName);
    final MutableClock clock;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final HourItems hours = new HourItems(dynamo, tables.get(Table.USAGE));
    final DynamoBillingRecordStore store = new DynamoBillingRecordStore(dynamo, tables.get(Table.BILLING));
    final DynamoSyncRunLog runs = new DynamoSyncRunLog(dynamo, tables.get(Table.BILLING), Duration.ofDays(90));
    final DynamoAuditLog audit;

    BillingFixture(Instant now) {
        this.clock = new MutableClock(now);
        this.audit = new DynamoAuditLog(dynamo, tables.get(Table.AUDIT), Duration.ofDays(400), clock);
    }

    BillingSync sync() {
        return sync(store);
    }

    BillingSync sync(BillingRecordStore recordStore) {
        return sync(dynamo, recordStore);
    }

    /** The sync reading and writing both tables through another client (to count its requests, say). */
    BillingSync sync(DynamoDbClient client) {
        return sync(client, new DynamoBillingRecordStore(client, tables.get(Table.BILLING)));
    }

    private BillingSync sync(DynamoDbClient client, BillingRecordStore recordStore) {
        CachedApiKey apiKey = new CachedApiKey(() -> API_KEY, Duration.ofHours(1), clock);
        return new BillingSync(new DynamoHourlyUsage(client, tables.get(Table.USAGE)), recordStore,
                new HttpCoordinatorBilling(coordinator.endpoint(), apiKey,
                        HttpCoordinatorBilling.client(Duration.ofSeconds(2)), CLIENT_TIMEOUT),
                new EventBridgePublisher(eventBridgeClient, busName), SETTINGS, sleeps::add,
                new SplittableRandom(7), clock);
    }

    /** Invoicing on the rig's tables with the test price book, invoices issued a day after the month. */
    Invoicing invoicing() {
        return BillingWiring.invoicing(new InvoiceSettings(Duration.ofHours(24), 2, TestPriceBook.book()), dynamo,
                tables.get(Table.USAGE), tables.get(Table.BILLING), clock);
    }

    InvoiceIssuer issuer(Invoicing invoicing) {
        return BillingWiring.issuer(invoicing, dynamo, tables.get(Table.USAGE), tables.get(Table.BILLING),
                new EventBridgePublisher(eventBridgeClient, busName), clock, audit);
    }

    /** The ledger's total of one tenant, period and metric, or null. */
    BigDecimal billed(String tenant, String periodStart, BillingMetric metric) {
        return coordinator.totals().get(new LocalCoordinatorBilling.Period(tenant, periodStart, metric.wire()));
    }

    @Override
    public void close() {
        coordinator.close();
        published.close();
        eventBridge.close();
        eventBridgeClient.close();
        dynamo.close();
    }
}
