package com.poolhub.metering.ingest.function;

import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.rejects.RejectOperations;
import com.poolhub.metering.ingest.rejects.RejectsApi;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway (REST, proxy integration) to the admin reject routes ({@link RejectsApi}):
 * {@code GET /rejects/{stream}} and {@code POST /rejects/{stream}/replay}, on the same operations and
 * settings as the direct-invoke {@link RejectReplayFunction}.
 */
public final class RejectsApiFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public RejectsApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private RejectsApiFunction(Env env, DynamoDbClient dynamo) {
        this(new RejectsApi(RejectOperations.fromEnv(dynamo, env, Clock.systemUTC())));
        deploy("RejectsApi", env, dynamo, Table.REJECTS);
    }

    public RejectsApiFunction(RejectsApi api) {
        super(api.router());
    }
}
