package com.poolhub.metering.billing.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The key loader against a local endpoint speaking Secrets Manager's GetSecretValue (JSON 1.1). */
class SecretsManagerApiKeyTest {
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:poolhub/coordinator-AbCdEf";
    private final AtomicReference<String> secretString = new AtomicReference<>("plain-key-1");
    private final RecordingHttpEndpoint endpoint = RecordingHttpEndpoint.start(request -> {
        JsonNode body;
        try {
            body = Json.parse(request.body());
        } catch (Exception e) {
            return RecordingHttpEndpoint.Response.json(400, "{\"__type\":\"InvalidRequestException\"}");
        }
        if (!"secretsmanager.GetSecretValue".equals(request.header("X-Amz-Target"))
                || !ARN.equals(body.path("SecretId").asText())) {
            return RecordingHttpEndpoint.Response.json(400, "{\"__type\":\"ResourceNotFoundException\",\"Message\":\"no such secret\"}");
        }
        var answer = Json.object().put("ARN", ARN).put("Name", "poolhub/coordinator").put("SecretString", secretString.get());
        return RecordingHttpEndpoint.Response.json(200, answer.toString());
    });
    private final SecretsManagerClient secrets = SecretsManagerClient.builder()
            .endpointOverride(endpoint.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();

    @AfterEach
    void close() {
        secrets.close();
        endpoint.close();
    }

    @Test
    void apiKey_isFetchedOncePerContainerUntilItsTimeToLiveOrAnInvalidation() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        CachedApiKey key = new CachedApiKey(new SecretsManagerApiKey(secrets, ARN), Duration.ofMinutes(60), clock);

        assertEquals("plain-key-1", key.apiKey());
        secretString.set("{\"apiKey\":\"json-key-2\"}");
        assertEquals("plain-key-1", key.apiKey(), "cached");
        assertEquals(1, endpoint.requests().size());

        key.invalidate();
        assertEquals("json-key-2", key.apiKey());
        assertEquals(2, endpoint.requests().size());
    }

    @Test
    void get_whenTheSecretIsMissingOrMalformed_failsNamingTheSecret() {
        assertThrows(RuntimeException.class, () -> new SecretsManagerApiKey(secrets, "other").get());
        secretString.set("{\"token\":\"x\"}");
        IllegalStateException malformed = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerApiKey(secrets, ARN).get());
        assertEquals("secret " + ARN + " is JSON without a string apiKey field", malformed.getMessage());
    }
}
