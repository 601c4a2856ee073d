package com.poolhub.metering.usageapi.function;

import com.poolhub.metering.aws.dynamodb.Table;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.config.UsageRetention;
import com.poolhub.metering.logging.LambdaLogContext;
import com.poolhub.metering.usageapi.UsageApi;
import com.poolhub.metering.usageapi.UsageTenants;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway (REST, proxy integration) to the usage routes: {@code GET /usage} (admins),
 * {@code GET /usage/{tenant}},
 * {@code GET /usage/{tenant}/trend}, {@code GET /usage/{tenant}/anomalies} (read only). Reads the
 * settings of {@link AnomalySettings}.
 */
public final class UsageApiFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedFunction {
    private final ApiRouter router;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public UsageApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private UsageApiFunction(Env env, DynamoDbClient dynamo) {
        this(fromEnv(env, dynamo));
        KeyRates.limit(router, env, dynamo);
        this.priming = List.of(SnapStartPriming.api("UsageApi", router),
                SnapStartPriming.register("UsageApi reads", () -> AwsClients.primeDynamoDb(dynamo, Table.USAGE.name(env))));
    }

    public UsageApiFunction(UsageApi api) {
        this.router = api.router();
    }

    private static UsageApi fromEnv(Env env, DynamoDbClient dynamo) {
        AnomalySettings settings = AnomalySettings.fromEnv(env);
        return new UsageApi(settings.costs(dynamo), new UsageTenants(dynamo, settings.table()), settings.detector(),
                UsageRetention.fromEnv(env), Clock.systemUTC());
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
