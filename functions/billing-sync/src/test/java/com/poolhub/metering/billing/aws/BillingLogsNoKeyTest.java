package com.poolhub.metering.billing.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.poolhub.metering.billing.BillingMetric;
import com.poolhub.metering.billing.CachedApiKey;
import com.poolhub.metering.billing.CoordinatorBilling.Outcome;
import com.poolhub.metering.billing.CoordinatorBilling.Submission;
import com.poolhub.metering.billing.UsageRecord;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.local.RecordingHttpEndpoint;
import com.poolhub.metering.logging.LogCapture;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
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
        for (String stored : new String[] {"{\"apiKey\": 17, \"old\": \"" + KEY + "\"}", "{\"" + KEY + "\" broken"}) {
            try (SecretsManagerClient secrets = LocalAws.secretsManager();
                 LogCapture capture = LogCapture.start()) {
                String arn = secrets.createSecret(c -> c.name("poolhub/coordinator-" + UUID.randomUUID())
                        .secretString(stored)).arn();
                RuntimeException failure = assertThrows(RuntimeException.class, () -> new SecretsManagerApiKey(secrets, arn).get());
                assertFalse(String.valueOf(failure.getMessage()).contains(KEY), failure.getMessage());
                capture.lines().forEach(line -> assertFalse(line.contains(KEY), line));
                secrets.deleteSecret(d -> d.secretId(arn).forceDeleteWithoutRecovery(true));
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
