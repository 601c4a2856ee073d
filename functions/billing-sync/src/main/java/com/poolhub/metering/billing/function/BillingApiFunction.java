package com.poolhub.metering.billing.function;

import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway handler of the billing read routes ({@link BillingRoutes}): {@code GET /sla/billing/usage},
 * {@code GET /invoices/{tenant}/{yyyy-MM}} and {@code GET /sla/billing/runs}. It only reads (usage and billing tables).
 */
public final class BillingApiFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public BillingApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private BillingApiFunction(Env env, DynamoDbClient dynamo) {
        this(new ApiRouter(), fromEnv(env, dynamo));
        deploy("BillingApi", env, dynamo, Table.BILLING);
    }

    public BillingApiFunction(ApiRouter router, BillingRoutes routes) {
        super(routes.register(router));
    }

    private static BillingRoutes fromEnv(Env env, DynamoDbClient dynamo) {
        String billingTable = Table.BILLING.name(env);
        Clock clock = Clock.systemUTC();
        return new BillingRoutes(new DynamoBillingRecordStore(dynamo, billingTable),
                BillingWiring.invoicing(InvoiceSettings.fromEnv(env), dynamo, Table.USAGE.name(env), billingTable, clock),
                BillingWiring.runLog(env, dynamo), clock);
    }
}
