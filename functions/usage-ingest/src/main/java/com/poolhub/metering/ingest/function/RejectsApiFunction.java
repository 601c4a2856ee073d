package com.poolhub.metering.ingest.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.rejects.RejectOperations;
import com.poolhub.metering.ingest.rejects.RejectsApi;
import com.poolhub.metering.logging.LambdaLogContext;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway (REST, proxy integration) to the admin reject routes ({@link RejectsApi}):
 * {@code GET /rejects/{stream}} and {@code POST /rejects/{stream}/replay}, on the same operations and
 * settings as the direct-invoke {@link RejectReplayFunction}.
 */
public final class RejectsApiFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedFunction {
    private final ApiRouter router;

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public RejectsApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private RejectsApiFunction(Env env, DynamoDbClient dynamo) {
        this(new RejectsApi(RejectOperations.fromEnv(dynamo, env, Clock.systemUTC())));
        KeyRates.limit(router, env, dynamo);
    }

    public RejectsApiFunction(RejectsApi api) {
        this.router = api.router();
    }

    @Override
    public List<String> routes() {
        return router.routes();
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return router.handle(event);
        }
    }
}
