package com.poolhub.metering.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.logging.LambdaLogContext;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * An API Gateway proxy function that serves one router, with the request's log context around each
 * call. Built by tests from collaborators; the deployed function ({@link #deploy}) also puts the
 * router under its keys' rate limits and primes it before the SnapStart snapshot.
 */
public abstract class RouterFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>,
        RoutedFunction {
    private final ApiRouter router;
    /** SnapStart priming (set by {@link #deploy}), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    protected RouterFunction(ApiRouter router) {
        this.router = router;
    }

    /**
     * Makes this the function Lambda runs: each route admits a request only within its API key's rate
     * ({@link KeyRates}), and the snapshot is taken after a request through the router and one read of
     * {@code readTable}, so the first real request finds the JSON, routing and HTTP client paths warm.
     */
    protected final void deploy(String name, Env env, DynamoDbClient dynamo, Table readTable) {
        KeyRates.limit(router, env, dynamo);
        priming = List.of(SnapStartPriming.api(name, router),
                SnapStartPriming.register(name + " reads", () -> AwsClients.primeDynamoDb(dynamo, readTable.name(env))));
    }

    @Override
    public final List<String> routes() {
        return router.routes();
    }

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return router.handle(event);
        }
    }
}
