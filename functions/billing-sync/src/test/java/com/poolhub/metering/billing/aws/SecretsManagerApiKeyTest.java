package com.poolhub.metering.billing.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The key loader against moto's Secrets Manager: the secret is created there and rotated by putting a
 * new version; the loader's client goes through a recording pass-through, to count its GetSecretValue calls.
 */
class SecretsManagerApiKeyTest {
    private final SecretsManagerClient admin = LocalAws.secretsManager();
    private final String arn = admin.createSecret(c -> c.name("poolhub/coordinator-" + UUID.randomUUID())
            .secretString("plain-key-1")).arn();
    private final RecordingHttpEndpoint recorder = RecordingHttpEndpoint.forwardingTo(LocalAws.motoEndpoint());
    private final SecretsManagerClient secrets = SecretsManagerClient.builder()
            .endpointOverride(recorder.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();

    @AfterEach
    void close() {
        admin.deleteSecret(d -> d.secretId(arn).forceDeleteWithoutRecovery(true));
        admin.close();
        secrets.close();
        recorder.close();
    }

    private String rotate(String secretString) {
        return admin.putSecretValue(p -> p.secretId(arn).secretString(secretString)).versionId();
    }

    @Test
    void apiKey_isFetchedOncePerContainerUntilItsTimeToLiveOrAnInvalidation() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        CachedApiKey key = new CachedApiKey(new SecretsManagerApiKey(secrets, arn), Duration.ofMinutes(60), clock);
        String firstVersion = admin.getSecretValue(g -> g.secretId(arn)).versionId();

        assertEquals("plain-key-1", key.apiKey());
        assertNotEquals(firstVersion, rotate("{\"apiKey\":\"json-key-2\"}"));
        assertEquals("plain-key-1", key.apiKey(), "cached");
        assertEquals(1, recorder.requests().size());
        assertEquals("secretsmanager.GetSecretValue", recorder.requests().get(0).header("X-Amz-Target"));

        key.invalidate();
        assertEquals("json-key-2", key.apiKey());
        assertEquals(2, recorder.requests().size());
    }

    @Test
    void get_whenTheSecretIsMissingOrMalformed_failsNamingTheSecret() {
        assertThrows(RuntimeException.class, () -> new SecretsManagerApiKey(secrets, "other-" + UUID.randomUUID()).get());
        rotate("{\"token\":\"x\"}");
        IllegalStateException malformed = assertThrows(IllegalStateException.class,
                () -> new SecretsManagerApiKey(secrets, arn).get());
        assertEquals("secret " + arn + " is JSON without a string apiKey field", malformed.getMessage());
    }
}
