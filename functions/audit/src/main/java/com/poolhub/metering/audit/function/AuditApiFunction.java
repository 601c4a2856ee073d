package com.poolhub.metering.audit.function;

import com.poolhub.metering.audit.AuditChainCheck;
import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway {@code /audit} (admins): the audit trail's records and the verification of a day's
 * chain ({@link AuditRoutes}). Reads {@code AUDIT_TABLE}; never writes it.
 */
public final class AuditApiFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public AuditApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private AuditApiFunction(Env env, DynamoDbClient dynamo) {
        this(routes(dynamo, env, Clock.systemUTC()));
        deploy("AuditApi", env, dynamo, Table.AUDIT);
    }

    public AuditApiFunction(AuditRoutes routes) {
        super(routes.router());
    }

    /** The routes over a deployment's audit table. */
    public static AuditRoutes routes(DynamoDbClient dynamo, Env env, Clock clock) {
        DynamoAuditLog log = DynamoAuditLog.fromEnv(dynamo, env, clock);
        return new AuditRoutes(log, new AuditChainCheck(log, clock, log.retention()), clock);
    }
}
