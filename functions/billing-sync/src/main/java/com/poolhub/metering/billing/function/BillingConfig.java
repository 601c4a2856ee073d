package com.poolhub.metering.billing.function;

import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.billing.RetryPolicy;
import com.poolhub.metering.billing.SyncSettings;
import com.poolhub.metering.config.Env;
import java.net.URI;
import java.time.Duration;

/**
 * Settings of the billing functions, read once from the environment.
 *
 * @param usageTable      {@code USAGE_TABLE}
 * @param billingTable    {@code BILLING_TABLE}
 * @param coordinatorUrl  {@code COORDINATOR_BILLING_URL}, the billing API's base URL
 * @param apiKeySecret    {@code COORDINATOR_API_KEY_SECRET}: the Secrets Manager name or ARN of the key (never the key)
 * @param eventBus        {@code EVENT_BUS_NAME}
 * @param sync            {@code BILLING_SETTLE_MINUTES} (15), {@code BILLING_MAX_ATTEMPTS} (4),
 *                        {@code BILLING_RETRY_BASE_MS} (200), {@code BILLING_RETRY_MAX_MS} (5000)
 * @param requestTimeout  {@code COORDINATOR_TIMEOUT_MS} (5000)
 * @param apiKeyTtl       {@code COORDINATOR_API_KEY_TTL_MINUTES} (60): how long a fetched key is reused
 */
public record BillingConfig(String usageTable, String billingTable, URI coordinatorUrl, String apiKeySecret,
                            String eventBus, SyncSettings sync, Duration requestTimeout, Duration apiKeyTtl) {

    /** Everything the sync function needs; fails naming the first missing or malformed variable. */
    public static BillingConfig syncFromEnv(Env env) {
        String url = env.required("COORDINATOR_BILLING_URL");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("environment variable COORDINATOR_BILLING_URL has an invalid value: " + url, e);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalStateException("environment variable COORDINATOR_BILLING_URL must be an absolute URL: " + url);
        }
        SyncSettings sync = new SyncSettings(
                Duration.ofMinutes(env.intValue("BILLING_SETTLE_MINUTES", 15)),
                new RetryPolicy(env.intValue("BILLING_MAX_ATTEMPTS", 4),
                        Duration.ofMillis(env.longValue("BILLING_RETRY_BASE_MS", 200)),
                        Duration.ofMillis(env.longValue("BILLING_RETRY_MAX_MS", 5000))));
        return new BillingConfig(Table.USAGE.name(env), Table.BILLING.name(env), uri,
                env.required("COORDINATOR_API_KEY_SECRET"), env.required("EVENT_BUS_NAME"), sync,
                Duration.ofMillis(env.longValue("COORDINATOR_TIMEOUT_MS", 5000)),
                Duration.ofMinutes(env.intValue("COORDINATOR_API_KEY_TTL_MINUTES", 60)));
    }
}
