package com.poolhub.metering.aws.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.poolhub.metering.config.Env;
import com.poolhub.metering.local.LocalAws;
import com.poolhub.metering.signing.EventSignature;
import com.poolhub.metering.signing.KeyStoreUnavailableException;
import com.poolhub.metering.signing.ProducerKeys;
import com.poolhub.metering.signing.SignatureCheck;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.UsageEventJson;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Producer keys kept in moto's Secrets Manager, one secret per producer. */
class SecretsManagerSigningKeysTest {
    private final SecretsManagerClient secrets = LocalAws.secretsManager();
    private final String prefix = "poolhub/test-" + UUID.randomUUID() + "/producer-keys/";
    private final SecretsManagerSigningKeys keys = new SecretsManagerSigningKeys(secrets, prefix);
    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");

    @Test
    void keysAreWrittenAndReadBackWithTheirRevocations() {
        assertEquals(ProducerKeys.none("fleet"), keys.load("fleet"));
        ProducerKeys issued = ProducerKeys.none("fleet").issue(clock.instant());
        keys.save(issued);
        ProducerKeys rotated = issued.issue(clock.instant().plusSeconds(60));
        keys.save(rotated);
        assertEquals(rotated, keys.load("fleet"));

        ProducerKeys revoked = rotated.revoke(issued.newest().keyId());
        keys.save(revoked);
        ProducerKeys read = keys.load("fleet");
        assertEquals(1, read.active().size());
        assertTrue(read.revoked().contains(issued.newest().keyId()));
        String stored = secrets.getSecretValue(b -> b.secretId(prefix + "fleet")).secretString();
        assertTrue(stored.contains(rotated.newest().encodedSecret()), "the secret holds the key's secret");
    }

    @Test
    void theIngestCheckReadsTheKeysFromTheSettings() {
        ProducerKeys fleet = ProducerKeys.none("fleet").issue(clock.instant());
        keys.save(fleet);
        ProducerSigning signing = ProducerSigning.fromEnv(new Env(Map.of("PRODUCER_KEYS_SECRET_PREFIX", prefix,
                "REQUIRE_SIGNATURES", "usage-events")));
        SignatureCheck check = signing.check("usage-events", secrets, clock);
        var event = UsageEventJson.event("//nodes/n1", "e1", "t1", "GPU", "compute_seconds", "1", Instant.parse("2026-03-01T11:00:00Z"));

        assertTrue(check.required());
        assertFalse(signing.check("miner-telemetry", secrets, clock).required());
        assertTrue(check.check(EventSignature.signed(event, fleet.newest())).isEmpty());
        assertEquals("SIGNATURE_MISSING", check.check(event).orElseThrow().code());
    }

    @Test
    void tenantsRequiringSignaturesApplyToUsageEventsOnly() {
        ProducerSigning signing = ProducerSigning.fromEnv(new Env(Map.of("PRODUCER_KEYS_SECRET_PREFIX", prefix,
                "REQUIRE_SIGNATURES_TENANTS", "t1,t2")));
        var event = UsageEventJson.event("//nodes/n1", "e1", "t2", "GPU", "compute_seconds", "1", Instant.parse("2026-03-01T11:00:00Z"));

        assertEquals("SIGNATURE_MISSING", signing.check("usage-events", secrets, clock).check(event).orElseThrow().code());
        assertTrue(signing.check("miner-telemetry", secrets, clock).check(event).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> ProducerSigning.fromEnv(new Env(Map.of(
                "PRODUCER_KEYS_SECRET_PREFIX", prefix, "REQUIRE_SIGNATURES_TENANTS", "t1,,t2"))));
        assertThrows(IllegalStateException.class, () -> ProducerSigning.fromEnv(new Env(Map.of("REQUIRE_SIGNATURES_TENANTS", "t1"))));
    }

    @Test
    void requiringSignaturesWithoutAKeyStoreIsAConfigurationError() {
        assertThrows(IllegalStateException.class, () -> ProducerSigning.fromEnv(new Env(Map.of("REQUIRE_SIGNATURES", "all"))));
        assertEquals(null, ProducerSigning.fromEnv(new Env(Map.of())).check("usage-events", secrets, clock));
    }

    @Test
    void anUnreachableStoreIsReportedAsUnavailable() {
        SecretsManagerClient unreachable = LocalAws.secretsManager(URI.create("http://127.0.0.1:9"));
        var down = new SecretsManagerSigningKeys(unreachable, prefix);
        assertThrows(KeyStoreUnavailableException.class, () -> down.load("fleet"));
    }
}
