package com.poolhub.metering.billing.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Loads the coordinator API key from Secrets Manager by secret name or ARN. The secret string is the
 * key itself, or a JSON object whose {@code apiKey} field holds it.
 */
public final class SecretsManagerApiKey implements Supplier<String> {
    private final SecretsManagerClient secrets;
    private final String secretId;

    public SecretsManagerApiKey(SecretsManagerClient secrets, String secretId) {
        this.secrets = secrets;
        this.secretId = secretId;
    }

    @Override
    public String get() {
        String value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        if (value == null) {
            throw new IllegalStateException("secret " + secretId + " has no string value");
        }
        String trimmed = value.trim();
        if (trimmed.startsWith("{")) {
            try {
                JsonNode node = Json.parse(trimmed);
                JsonNode key = node.get("apiKey");
                if (key == null || !key.isTextual()) {
                    throw new IllegalStateException("secret " + secretId + " is JSON without a string apiKey field");
                }
                return key.asText();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("secret " + secretId + " starts like JSON but does not parse");
            }
        }
        return trimmed;
    }
}
