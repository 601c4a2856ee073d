package com.poolhub.metering.quota.function;

import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.IngestSettings;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.aws.quota.QuotaCounting;
import com.poolhub.metering.aws.quota.QuotaSeeder;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway {@code /quota/*}: checks, atomic consumption with hard and soft limits and a
 * per-tenant rate limit, limit settings and an overview (CONTRACT §3). Reads {@code QUOTAS_TABLE}
 * and {@code EVENT_BUS_NAME}; records each change of limits in {@code AUDIT_TABLE} before making it.
 */
public final class QuotaFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public QuotaFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private QuotaFunction(Env env, DynamoDbClient dynamo) {
        this(service(env, dynamo), DynamoAuditLog.fromEnv(dynamo, env, Clock.systemUTC()));
        deploy("Quota", env, dynamo, Table.QUOTAS);
    }

    /** @param audit where each change of limits is recorded before it is made */
    public QuotaFunction(QuotaService service, AuditLog audit) {
        super(new QuotaRoutes(service, audit).router());
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
}
