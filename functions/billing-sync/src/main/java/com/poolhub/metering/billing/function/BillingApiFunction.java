package com.poolhub.metering.billing.function;

import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.pricing.DynamoPriceOverrideStore;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.pricing.TenantPricing;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway handler of the billing routes: the read routes ({@link BillingRoutes}) {@code GET /sla/billing/usage},
 * {@code GET /invoices/{tenant}/{yyyy-MM}} and {@code GET /sla/billing/runs}, and tenants' price overrides
 * ({@link PricingRoutes}) {@code PUT|GET /pricing/tenants/{tenant}}, which it writes to the billing table
 * after recording them in {@code AUDIT_TABLE}.
 */
public final class BillingApiFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public BillingApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private BillingApiFunction(Env env, DynamoDbClient dynamo) {
        this(new ApiRouter(), Deployed.of(env, dynamo, Clock.systemUTC()));
        deploy("BillingApi", env, dynamo, Table.BILLING);
    }

    private BillingApiFunction(ApiRouter router, Deployed deployed) {
        this(router, deployed.routes(), deployed.pricing());
    }

    /** The read routes only. */
    public BillingApiFunction(ApiRouter router, BillingRoutes routes) {
        super(routes.register(router));
    }

    /** The read routes and the price override routes. */
    public BillingApiFunction(ApiRouter router, BillingRoutes routes, PricingRoutes pricing) {
        super(pricing.register(routes.register(router)));
    }

    /** Both sets of routes from the environment, sharing one invoicing and one per-container price cache. */
    public record Deployed(BillingRoutes routes, PricingRoutes pricing) {
        public static Deployed of(Env env, DynamoDbClient dynamo, Clock clock) {
            String billingTable = Table.BILLING.name(env);
            InvoiceSettings settings = InvoiceSettings.fromEnv(env);
            TenantPricing pricing = BillingWiring.pricing(settings, dynamo, billingTable, clock);
            Invoicing invoicing = BillingWiring.invoicing(settings, pricing, dynamo, Table.USAGE.name(env), billingTable, clock);
            return new Deployed(new BillingRoutes(new DynamoBillingRecordStore(dynamo, billingTable), invoicing,
                    BillingWiring.runLog(env, dynamo), clock),
                    new PricingRoutes(new DynamoPriceOverrideStore(dynamo, billingTable), pricing, invoicing,
                            DynamoAuditLog.fromEnv(dynamo, env, clock), clock));
        }
    }
}
