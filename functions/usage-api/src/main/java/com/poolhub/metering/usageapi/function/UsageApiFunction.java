package com.poolhub.metering.usageapi.function;

import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.config.UsageRetention;
import com.poolhub.metering.usageapi.UsageApi;
import com.poolhub.metering.usageapi.UsageTenants;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway (REST, proxy integration) to the usage routes: {@code GET /usage} (admins),
 * {@code GET /usage/{tenant}},
 * {@code GET /usage/{tenant}/trend}, {@code GET /usage/{tenant}/anomalies} (read only). Reads the
 * settings of {@link AnomalySettings}.
 */
public final class UsageApiFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public UsageApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private UsageApiFunction(Env env, DynamoDbClient dynamo) {
        this(fromEnv(env, dynamo));
        deploy("UsageApi", env, dynamo, Table.USAGE);
    }

    public UsageApiFunction(UsageApi api) {
        super(api.router());
    }

    private static UsageApi fromEnv(Env env, DynamoDbClient dynamo) {
        AnomalySettings settings = AnomalySettings.fromEnv(env);
        return new UsageApi(settings.costs(dynamo), new UsageTenants(dynamo, settings.table()), settings.detector(),
                UsageRetention.fromEnv(env), Clock.systemUTC());
    }
}
