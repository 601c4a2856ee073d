package com.poolhub.metering.sla.api;

import com.poolhub.metering.aws.dynamodb.Table;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.logging.LambdaLogContext;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** API Gateway (REST, proxy integration) {@code /sla/...} routes behind the Lambda authorizer. */
public final class SlaApiFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedFunction {
    private final ApiRouter router;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public SlaApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private SlaApiFunction(Env env, DynamoDbClient dynamo) {
        this(fromEnv(env, dynamo, Clock.systemUTC()));
        KeyRates.limit(router, env, dynamo);
        this.priming = List.of(SnapStartPriming.api("SlaApi", router),
                SnapStartPriming.register("SlaApi reads", () -> AwsClients.primeDynamoDb(dynamo, Table.SLA.name(env))));
    }

    public SlaApiFunction(SlaApi api) {
        this.router = api.router();
    }

    private static SlaApi fromEnv(Env env, DynamoDbClient dynamo, Clock clock) {
        SlaCollection collection = SlaCollection.fromEnv(env);
        EventBridgePublisher publisher = new EventBridgePublisher(AwsClients.eventBridge(), SlaCollection.busName(env));
        return new SlaApi(collection.collector(dynamo, publisher, clock), collection.requests(dynamo, publisher, clock),
                collection.repository(dynamo), clock, collection.settings().forecastHours(),
                DynamoAuditLog.fromEnv(dynamo, env, clock));
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
