package com.poolhub.metering.sla.api;

import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.EventBridgePublisher;
import com.poolhub.metering.aws.SlaCollection;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** API Gateway (REST, proxy integration) {@code /sla/...} routes behind the Lambda authorizer. */
public final class SlaApiFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public SlaApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private SlaApiFunction(Env env, DynamoDbClient dynamo) {
        this(fromEnv(env, dynamo, Clock.systemUTC()));
        deploy("SlaApi", env, dynamo, Table.SLA);
    }

    public SlaApiFunction(SlaApi api) {
        super(api.router());
    }

    private static SlaApi fromEnv(Env env, DynamoDbClient dynamo, Clock clock) {
        SlaCollection collection = SlaCollection.fromEnv(env);
        EventBridgePublisher publisher = new EventBridgePublisher(AwsClients.eventBridge(), SlaCollection.busName(env));
        return new SlaApi(collection.collector(dynamo, publisher, clock), collection.requests(dynamo, publisher, clock),
                collection.repository(dynamo), clock, collection.settings().forecastHours(),
                DynamoAuditLog.fromEnv(dynamo, env, clock));
    }
}
