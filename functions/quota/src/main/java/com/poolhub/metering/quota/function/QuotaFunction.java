package com.poolhub.metering.quota.function;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.RoutedFunction;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.IngestSettings;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.api.KeyRates;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.aws.lambda.SnapStartPriming;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.aws.quota.QuotaCounting;
import com.poolhub.metering.aws.quota.QuotaSeeder;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.logging.LambdaLogContext;
import java.time.Clock;
import java.util.List;

/**
 * API Gateway {@code /quota/*}: checks, atomic consumption with hard and soft limits and a
 * per-tenant rate limit, limit settings and an overview (CONTRACT §3). Reads {@code QUOTAS_TABLE}
 * and {@code EVENT_BUS_NAME}; records each change of limits in {@code AUDIT_TABLE} before making it.
 */
public final class QuotaFunction implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>, RoutedFunction {
    private final ApiRouter router;
    /** SnapStart priming (set by the no-arg constructor), held here because CRaC keeps resources weakly. */
    private List<SnapStartPriming> priming = List.of();

    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public QuotaFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private QuotaFunction(Env env, DynamoDbClient dynamo) {
        this(service(env, dynamo), DynamoAuditLog.fromEnv(dynamo, env, Clock.systemUTC()));
        KeyRates.limit(router, env, dynamo);
        this.priming = List.of(SnapStartPriming.api("Quota", router),
                SnapStartPriming.register("Quota reads", () -> AwsClients.primeDynamoDb(dynamo, Table.QUOTAS.name(env))));
    }

    /** @param audit where each change of limits is recorded before it is made */
    public QuotaFunction(QuotaService service, AuditLog audit) {
        this.router = new QuotaRoutes(service, audit).router();
    }

    private static QuotaService service(Env env, DynamoDbClient dynamo) {
        String table = Table.QUOTAS.name(env);
        String bus = env.required("EVENT_BUS_NAME");
        DynamoQuotaStore store = new DynamoQuotaStore(dynamo, table);
        QuotaSeeder seeder = QuotaSeeder.of(dynamo, store, Table.USAGE.name(env),
                IngestSettings.lateArrivalLimit(env), LedgerSettings.fromEnv(env),
                QuotaCounting.limitsCacheTtl(env), Workers.pool(16, "quota-seed"), Clock.systemUTC());
        return new QuotaService(store, new EventBridgePublisher(AwsClients.eventBridge(), bus), Clock.systemUTC(),
                seeder);
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
