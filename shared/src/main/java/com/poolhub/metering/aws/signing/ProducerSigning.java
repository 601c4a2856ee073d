package com.poolhub.metering.aws.signing;

import com.poolhub.metering.aws.AwsClients;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.config.Env;
import com.poolhub.metering.signing.SignatureCheck;
import com.poolhub.metering.signing.SignatureRequirement;
import com.poolhub.metering.signing.SigningKeyCache;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The signing settings of an ingest function (docs/signing.md): {@code PRODUCER_KEYS_SECRET_PREFIX}
 * (where the keys are; unset means no verification, which {@code REQUIRE_SIGNATURES} other than
 * {@code off} does not allow), {@code REQUIRE_SIGNATURES}, {@code REQUIRE_SIGNATURES_TENANTS} (tenants
 * whose usage events must be signed whatever the stream's setting), {@code SIGNING_KEY_CACHE_SECONDS} (default
 * 300); a container keeps the keys of at most {@link SigningKeyCache#DEFAULT_MAX_PRODUCERS} producers.
 */
public record ProducerSigning(String secretPrefix, SignatureRequirement requirement, Set<String> requiredTenants,
                              Duration cacheTtl, int cachedProducers) {
    private static final Pattern TENANTS = Pattern.compile("([A-Za-z0-9._:-]{1,64}(,[A-Za-z0-9._:-]{1,64})*)?");

    /** The secret name prefix variable. */
    public static final String PREFIX_VARIABLE = "PRODUCER_KEYS_SECRET_PREFIX";

    public static ProducerSigning fromEnv(Env env) {
        String prefix = env.optional("PRODUCER_KEYS_SECRET_PREFIX", "");
        SignatureRequirement requirement = SignatureRequirement.fromEnv(env);
        String tenants = env.optional("REQUIRE_SIGNATURES_TENANTS", "");
        if (!TENANTS.matcher(tenants).matches()) {
            throw new IllegalArgumentException("REQUIRE_SIGNATURES_TENANTS must be tenant ids separated by commas");
        }
        Set<String> requiredTenants = tenants.isEmpty() ? Set.of() : Set.of(tenants.split(","));
        if (prefix.isEmpty() && (requirement.requiredFor("usage-events") || requirement.requiredFor("miner-telemetry")
                || !requiredTenants.isEmpty())) {
            throw new IllegalStateException(SignatureRequirement.VARIABLE + " and REQUIRE_SIGNATURES_TENANTS need " + PREFIX_VARIABLE);
        }
        return new ProducerSigning(prefix.isEmpty() ? null : prefix, requirement, requiredTenants,
                Duration.ofSeconds(env.longValue("SIGNING_KEY_CACHE_SECONDS", SigningKeyCache.DEFAULT_TTL.toSeconds())),
                SigningKeyCache.DEFAULT_MAX_PRODUCERS);
    }

    /** The check of a stream's events with keys read through {@code secrets}, or null when no keys are configured. */
    public SignatureCheck check(String stream, SecretsManagerClient secrets, Clock clock) {
        if (secretPrefix == null) {
            return null;
        }
        return new SignatureCheck(new SigningKeyCache(new SecretsManagerSigningKeys(secrets, secretPrefix), clock,
                cacheTtl, cachedProducers), requirement.requiredFor(stream),
                UsageIngestion.STREAM.equals(stream) ? requiredTenants : Set.of());
    }

    /** The check of a stream's events in a Lambda container, or null when no keys are configured. */
    public SignatureCheck check(String stream) {
        return secretPrefix == null ? null : check(stream, AwsClients.secretsManager(), Clock.systemUTC());
    }
}
