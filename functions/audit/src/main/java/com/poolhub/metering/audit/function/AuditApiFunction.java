package com.poolhub.metering.audit.function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.audit.AuditChainCheck;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.logging.LambdaLogContext;
import java.time.Clock;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway {@code /audit} (admins): the audit trail's records and the verification of a day's
 * chain ({@link AuditRoutes}). Reads {@code AUDIT_TABLE}; never writes it.
 */
public final class AuditApiFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedFunction {
    private final ApiRouter router;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public AuditApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private AuditApiFunction(Env env, DynamoDbClient dynamo) {
        this(routes(dynamo, env, Clock.systemUTC()));
        KeyRates.limit(router, env, dynamo);
        this.priming = List.of(SnapStartPriming.api("AuditApi", router),
                SnapStartPriming.register("AuditApi reads", () -> AwsClients.primeDynamoDb(dynamo, Table.AUDIT.name(env))));
    }

    public AuditApiFunction(AuditRoutes routes) {
        this.router = routes.router();
    }

    /** The routes over a deployment's audit table. */
    public static AuditRoutes routes(DynamoDbClient dynamo, Env env, Clock clock) {
        DynamoAuditLog log = DynamoAuditLog.fromEnv(dynamo, env, clock);
        return new AuditRoutes(log, new AuditChainCheck(log, clock, log.retention()), clock);
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
