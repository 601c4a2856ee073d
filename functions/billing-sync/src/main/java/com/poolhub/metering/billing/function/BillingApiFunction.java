package com.poolhub.metering.billing.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.billing.aws.DynamoBillingRecordStore;
import com.poolhub.metering.config.Env;
import java.time.Clock;

/** API Gateway handler of the billing read routes ({@link BillingRoutes}); it only reads. */
public final class BillingApiFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
    private final ApiRouter router;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public BillingApiFunction() {
        this(new ApiRouter(), fromEnv(Env.system()));
    }

    public BillingApiFunction(ApiRouter router, BillingRoutes routes) {
        this.router = routes.register(router);
    }

    private static BillingRoutes fromEnv(Env env) {
        return new BillingRoutes(new DynamoBillingRecordStore(AwsClients.dynamoDb(), Table.BILLING.name(env)),
                Clock.systemUTC());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return router.handle(event);
    }
}
