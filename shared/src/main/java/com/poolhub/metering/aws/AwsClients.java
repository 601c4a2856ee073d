package com.poolhub.metering.aws;

import com.poolhub.metering.config.Env;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the SDK clients a function needs, once per container: the light URL-connection HTTP client
 * (no Apache or Netty at cold start), region and credentials from the Lambda environment, and an
 * endpoint override only where {@code AWS_ENDPOINT_URL} (or a service-specific variable) is set.
 */
public final class AwsClients {
    private static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(2))
            .socketTimeout(Duration.ofSeconds(10))
            .build();

    /**
     * Attempts per call, retries included. Kept low: a throttled write that still fails is handed back
     * to Lambda as a batch item failure, which retries the records later instead of holding the shard.
     */
    public static final int MAX_ATTEMPTS = 4;

    private AwsClients() {
    }

    public static SdkHttpClient http() {
        return HTTP;
    }

    public static DynamoDbClient dynamoDb() {
        var builder = DynamoDbClient.builder().httpClient(HTTP)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(Duration.ofSeconds(20))
                        .retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS)).build());
        endpoint("AWS_ENDPOINT_URL_DYNAMODB").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static EventBridgeClient eventBridge() {
        var builder = EventBridgeClient.builder().httpClient(HTTP);
        endpoint("AWS_ENDPOINT_URL_EVENTBRIDGE").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    public static SecretsManagerClient secretsManager() {
        var builder = SecretsManagerClient.builder().httpClient(HTTP);
        endpoint("AWS_ENDPOINT_URL_SECRETS_MANAGER").ifPresent(builder::endpointOverride);
        return builder.build();
    }

    /**
     * Primes a client's whole request path before a SnapStart snapshot: one read-only, eventually
     * consistent {@code GetItem} of a key no item has, so endpoint rules, credentials, signing, the HTTP
     * client and the JSON protocol are loaded and initialised in the snapshot. Any answer will do, an
     * error included (it took the same path); nothing is written. A connection kept open by it is
     * stale after a restore, and the SDK retries such a call on a new one.
     */
    public static void primeDynamoDb(DynamoDbClient dynamo, String table) {
        AttributeValue priming = AttributeValue.fromS("priming");
        try {
            dynamo.getItem(request -> request.tableName(table).key(Map.of("pk", priming, "sk", priming)));
        } catch (SdkException e) {
            // denied, throttled or unreachable: the classes are loaded all the same
        }
    }

    /** A service-specific endpoint override, else the general one, else none. */
    public static Optional<URI> endpoint(String serviceVariable) {
        Env env = Env.system();
        String value = env.optional(serviceVariable, env.optional("AWS_ENDPOINT_URL", null));
        return value == null ? Optional.empty() : Optional.of(URI.create(value));
    }
}
