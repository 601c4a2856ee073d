package com.poolhub.metering.billing.function;

import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.billing.BillingSync;
import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.billing.Sleeper;
import com.poolhub.metering.billing.SyncRunLog;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.billing.aws.DynamoHourlyUsage;
import com.poolhub.metering.billing.aws.DynamoInvoiceStore;
import com.poolhub.metering.billing.aws.DynamoSyncRunLog;
import com.poolhub.metering.billing.aws.HttpCoordinatorBilling;
import com.poolhub.metering.billing.aws.SecretsManagerApiKey;
import com.poolhub.metering.billing.invoice.InvoiceBuilder;
import com.poolhub.metering.billing.invoice.InvoiceIssuer;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.aws.pricing.DynamoPriceOverrideStore;
import com.poolhub.metering.pricing.TenantPricing;
import java.net.http.HttpClient;
import java.security.SecureRandom;
import com.poolhub.metering.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Assembles the billing sync on AWS, the same way for the Lambda and the tests. */
public final class BillingWiring {
    private BillingWiring() {
    }

    /** What the scheduled function runs: the sync (each run kept in the run log), then the invoice issuer. */
    public record ScheduledWork(BillingSync sync, InvoiceIssuer issuer, SyncRunLog runs, AuditLog audit) {
    }

    /** How long sync run reports are kept when {@code BILLING_RUN_RETENTION_DAYS} is not set. */
    public static final int DEFAULT_RUN_RETENTION_DAYS = 90;

    /** The sync run log in the billing table, runs kept {@code BILLING_RUN_RETENTION_DAYS} (90) days. */
    public static DynamoSyncRunLog runLog(Env env, DynamoDbClient dynamo) {
        int days = env.intValue("BILLING_RUN_RETENTION_DAYS", DEFAULT_RUN_RETENTION_DAYS);
        if (days < 1) {
            throw new IllegalStateException("environment variable BILLING_RUN_RETENTION_DAYS must be at least 1: " + days);
        }
        return new DynamoSyncRunLog(dynamo, Table.BILLING.name(env), Duration.ofDays(days));
    }

    /** The scheduled function's collaborators from the environment, recording to {@code audit}; fails naming a missing variable. */
    public static ScheduledWork scheduledWork(Env env, DynamoDbClient dynamo, Clock clock, AuditLog audit) {
        BillingConfig config = BillingConfig.syncFromEnv(env);
        InvoiceSettings invoices = InvoiceSettings.fromEnv(env);
        EventPublisher events = new EventBridgePublisher(AwsClients.eventBridge(), config.eventBus());
        Invoicing invoicing = invoicing(invoices, dynamo, config.usageTable(), config.billingTable(), clock);
        return new ScheduledWork(
                sync(config, dynamo, secretsManager(), coordinatorHttp(), events, Sleeper.threadSleep(), clock),
                issuer(invoicing, dynamo, config.usageTable(), config.billingTable(), events, clock, audit),
                runLog(env, dynamo), audit);
    }

    /** A Secrets Manager client on the shared light HTTP client, honouring endpoint overrides. */
    public static SecretsManagerClient secretsManager() {
        var builder = SecretsManagerClient.builder().httpClient(AwsClients.http());
        AwsClients.endpoint("AWS_ENDPOINT_URL_SECRETS_MANAGER").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static BillingSync sync(BillingConfig config, DynamoDbClient dynamo, SecretsManagerClient secrets,
                                   HttpClient http, EventPublisher events, Sleeper sleeper, Clock clock) {
        CachedApiKey apiKey = new CachedApiKey(new SecretsManagerApiKey(secrets, config.apiKeySecret()),
                config.apiKeyTtl(), clock);
        return new BillingSync(new DynamoHourlyUsage(dynamo, config.usageTable()),
                new DynamoBillingRecordStore(dynamo, config.billingTable()),
                new HttpCoordinatorBilling(config.coordinatorUrl(), apiKey, http, config.requestTimeout()),
                events, config.sync(), sleeper, new SecureRandom(), clock);
    }

    /** Each tenant's rates: the price book with the tenant's overrides from the billing table, cached per container. */
    public static TenantPricing pricing(InvoiceSettings settings, DynamoDbClient dynamo, String billingTable, Clock clock) {
        return new TenantPricing(settings.priceBook(), new DynamoPriceOverrideStore(dynamo, billingTable),
                settings.overrideTtl(), clock);
    }

    /** Invoices read (and drafted) from the usage and billing tables, each tenant at its own rates. */
    public static Invoicing invoicing(InvoiceSettings settings, DynamoDbClient dynamo, String usageTable,
                                      String billingTable, Clock clock) {
        return invoicing(settings, pricing(settings, dynamo, billingTable, clock), dynamo, usageTable, billingTable, clock);
    }

    /** Invoices read (and drafted) from the usage and billing tables, priced by {@code pricing}. */
    public static Invoicing invoicing(InvoiceSettings settings, TenantPricing pricing, DynamoDbClient dynamo,
                                      String usageTable, String billingTable, Clock clock) {
        return new Invoicing(new InvoiceBuilder(pricing),
                new DynamoHourlyUsage(dynamo, usageTable), new DynamoInvoiceStore(dynamo, billingTable),
                settings.closeDelay(), settings.adjustmentMonths(), clock);
    }

    /** Issues closed months' invoices and announces them. */
    public static InvoiceIssuer issuer(Invoicing invoicing, DynamoDbClient dynamo, String usageTable,
                                       String billingTable, EventPublisher events, Clock clock, AuditLog audit) {
        return new InvoiceIssuer(invoicing, new DynamoHourlyUsage(dynamo, usageTable),
                new DynamoInvoiceStore(dynamo, billingTable), events, clock, audit);
    }

    /** The coordinator HTTP client: 2 s to connect; each request has its own timeout. */
    public static HttpClient coordinatorHttp() {
        return HttpCoordinatorBilling.client(Duration.ofSeconds(2));
    }
}
