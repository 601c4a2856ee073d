package com.poolhub.metering.ingest.function;

import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.lambda.RouterFunction;
import com.poolhub.metering.aws.signing.SecretsManagerSigningKeys;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.ingest.producers.ProducerKeysApi;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * API Gateway {@code /producers/{producerId}/keys} (admins): issue, rotate, list and revoke producer
 * signing keys ({@link ProducerKeysApi}), kept in Secrets Manager under {@code PRODUCER_KEYS_SECRET_PREFIX}.
 */
public final class ProducerKeysApiFunction extends RouterFunction {
    /** Used by Lambda: clients and settings from the environment, built once per container. */
    public ProducerKeysApiFunction() {
        this(Env.system(), AwsClients.dynamoDb());
    }

    private ProducerKeysApiFunction(Env env, DynamoDbClient dynamo) {
        this(new ProducerKeysApi(new SecretsManagerSigningKeys(AwsClients.secretsManager(),
                env.required("PRODUCER_KEYS_SECRET_PREFIX")), DynamoAuditLog.fromEnv(dynamo, env, Clock.systemUTC()),
                Clock.systemUTC()));
        deploy("ProducerKeysApi", env, dynamo, Table.AUDIT);
    }

    public ProducerKeysApiFunction(ProducerKeysApi api) {
        super(api.router());
    }
}
