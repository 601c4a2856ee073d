package com.poolhub.metering.billing.function;

import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.logging.LambdaLogContext;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway handler of the billing read routes ({@link BillingRoutes}): {@code GET /sla/billing/usage},
 * {@code GET /invoices/{tenant}/{yyyy-MM}} and {@code GET /sla/billing/runs}. It only reads (usage and billing tables).
 */
public final class BillingApiFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedFunction {
    private final ApiRouter router;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public BillingApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private BillingApiFunction(Env env, DynamoDbClient dynamo) {
        this(new ApiRouter(), fromEnv(env, dynamo));
        KeyRates.limit(router, env, dynamo);
        this.priming = List.of(SnapStartPriming.api("BillingApi", router),
                SnapStartPriming.register("BillingApi reads", () -> AwsClients.primeDynamoDb(dynamo, Table.BILLING.name(env))));
    }

    public BillingApiFunction(ApiRouter router, BillingRoutes routes) {
        this.router = routes.register(router);
    }

    private static BillingRoutes fromEnv(Env env, DynamoDbClient dynamo) {
        String billingTable = Table.BILLING.name(env);
        Clock clock = Clock.systemUTC();
        return new BillingRoutes(new DynamoBillingRecordStore(dynamo, billingTable),
                BillingWiring.invoicing(InvoiceSettings.fromEnv(env), dynamo, Table.USAGE.name(env), billingTable, clock),
                BillingWiring.runLog(env, dynamo), clock);
    }

    @Override
    public List<String> routes() {
        return router.routes();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(event, context);
        }
    }

    private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }
}
