package com.poolhub.metering.billing.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.billing.BillingMetric;
import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.billing.CoordinatorBilling.Outcome;
import com.poolhub.metering.billing.CoordinatorBilling.Submission;
import com.poolhub.metering.billing.UsageRecord;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import com.poolhub.metering.logging.LogCapture;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The coordinator key (from Secrets Manager) never reaches a log line or a submission's detail, even
 * when the coordinator echoes the request's Authorization header in its error body.
 */
class BillingLogsNoKeyTest {
    private static final String KEY = "coord-key-7f3a9c21e8b4";
    private static final Instant HOUR = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void coordinatorErrorsEchoingTheKey_neverCarryIt() {
        List<String> said = new ArrayList<>();
        for (int status : new int[] {400, 401, 403, 422, 500, 503}) {
            try (RecordingHttpEndpoint coordinator = RecordingHttpEndpoint.start(request -> RecordingHttpEndpoint.Response
                    .json(status, "{\"message\":\"rejected request with header " + request.header("Authorization") + "\"}"));
                 LogCapture capture = LogCapture.start()) {
                Submission submission = client(coordinator).submit(record());
                assertFalse(submission.outcome() == Outcome.ACCEPTED);
                said.add(submission.detail());
                said.addAll(capture.lines());
            }
        }
        said.forEach(text -> assertFalse(text.contains(KEY), "the coordinator key was said: " + text));
        assertEquals(6, said.stream().filter(text -> text.contains("[redacted]")).count(), said.toString());
    }

    @Test
    void secretsManagerFailures_nameTheSecretButNeverItsValue() {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:poolhub/coordinator-AbCdEf";
        for (String stored : new String[] {"{\"apiKey\": 17, \"old\": \"" + KEY + "\"}", "{\"" + KEY + "\" broken"}) {
            try (RecordingHttpEndpoint endpoint = RecordingHttpEndpoint.start(request -> RecordingHttpEndpoint.Response.json(200,
                    com.poolhub.metering.json.Json.object().put("ARN", arn).put("SecretString", stored).toString()));
                 SecretsManagerClient secrets = SecretsManagerClient.builder().endpointOverride(endpoint.endpoint())
                         .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                         .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                         .build();
                 LogCapture capture = LogCapture.start()) {
                RuntimeException failure = assertThrows(RuntimeException.class, () -> new SecretsManagerApiKey(secrets, arn).get());
                assertFalse(String.valueOf(failure.getMessage()).contains(KEY), failure.getMessage());
                capture.lines().forEach(line -> assertFalse(line.contains(KEY), line));
            }
        }
    }

    private static HttpCoordinatorBilling client(RecordingHttpEndpoint coordinator) {
        return new HttpCoordinatorBilling(URI.create(coordinator.endpoint() + "/billing/"),
                new CachedApiKey(() -> KEY, Duration.ofHours(1), Clock.systemUTC()),
                HttpCoordinatorBilling.client(Duration.ofSeconds(2)), Duration.ofMillis(1500));
    }

    private static UsageRecord record() {
        return UsageRecord.pending("acme", HOUR, HOUR.plusSeconds(3600), BillingMetric.GPU_HOURS, 1,
                new BigDecimal("0.5"), HOUR);
    }
}
