package com.poolhub.metering.aws.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.signing.KeyStoreUnavailableException;
import com.poolhub.metering.signing.ProducerKeyStore;
import com.poolhub.metering.signing.ProducerKeys;
import com.poolhub.metering.signing.SigningKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Producer signing keys in Secrets Manager, one secret per producer named {@code <prefix><producerId>}
 * (encrypted at rest with KMS): {@code {"producerId":…,"keys":[{"keyId","secret","issuedAt"}],"revoked":[…]}}.
 * Errors name the producer, never the secret's value.
 */
public final class SecretsManagerSigningKeys implements ProducerKeyStore {
    private final SecretsManagerClient secrets;
    private final String prefix;

    public SecretsManagerSigningKeys(SecretsManagerClient secrets, String prefix) {
        this.secrets = secrets;
        this.prefix = prefix;
    }

    /** The secret name of a producer. */
    public String secretName(String producerId) {
        return prefix + producerId;
    }

    @Override
    public ProducerKeys load(String producerId) {
        String value;
        try {
            value = secrets.getSecretValue(b -> b.secretId(secretName(producerId))).secretString();
        } catch (ResourceNotFoundException e) {
            return ProducerKeys.none(producerId);
        } catch (SdkException e) {
            throw new KeyStoreUnavailableException("keys of producer " + producerId + " could not be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        return parse(producerId, value);
    }

    /** Writes a producer's keys, creating its secret the first time. */
    @Override
    public void save(ProducerKeys keys) {
        String value = Json.write(json(keys));
        String name = secretName(keys.producerId());
        try {
            try {
                secrets.putSecretValue(b -> b.secretId(name).secretString(value));
            } catch (ResourceNotFoundException e) {
                secrets.createSecret(b -> b.name(name).secretString(value)
                        .description("signing keys of producer " + keys.producerId()));
            }
        } catch (SdkException e) {
            throw new KeyStoreUnavailableException("keys of producer " + keys.producerId() + " could not be written ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static ObjectNode json(ProducerKeys keys) {
        ObjectNode root = Json.object();
        root.put("producerId", keys.producerId());
        ArrayNode active = root.putArray("keys");
        for (SigningKey key : keys.active()) {
            active.addObject().put("keyId", key.keyId()).put("secret", key.encodedSecret())
                    .put("issuedAt", key.issuedAt().toString());
        }
        ArrayNode revoked = root.putArray("revoked");
        keys.revoked().stream().sorted().forEach(revoked::add);
        return root;
    }

    private static ProducerKeys parse(String producerId, String value) {
        try {
            JsonNode root = Json.parse(value);
            List<SigningKey> active = new ArrayList<>();
            for (JsonNode key : root.path("keys")) {
                active.add(new SigningKey(key.get("keyId").textValue(), SigningKey.decodeSecret(key.get("secret").textValue()),
                        Instant.parse(key.get("issuedAt").textValue())));
            }
            Set<String> revoked = new HashSet<>();
            root.path("revoked").forEach(id -> revoked.add(id.textValue()));
            return new ProducerKeys(producerId, active, revoked);
        } catch (Exception e) {
            throw new IllegalStateException("the keys secret of producer " + producerId + " is not in the expected form");
        }
    }
}
