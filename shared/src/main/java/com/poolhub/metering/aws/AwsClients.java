package com.poolhub.metering.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

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

    /** A service-specific endpoint override, else the general one, else none. */
    public static Optional<URI> endpoint(String serviceVariable) {
        String value = System.getenv(serviceVariable);
        if (value == null || value.isBlank()) {
            value = System.getenv("AWS_ENDPOINT_URL");
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(URI.create(value.trim()));
    }
}
