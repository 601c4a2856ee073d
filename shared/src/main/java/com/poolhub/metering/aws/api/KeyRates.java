package com.poolhub.metering.aws.api;

import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.KeyRateGuard;
import com.poolhub.metering.api.KeyRateLimits;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.config.Env;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Puts an API function's router under its keys' rate limits: {@code API_RATE_LIMITS}
 * ({@link KeyRateLimits}) with the buckets in {@code API_KEYS_TABLE}; {@code off} leaves it as it is.
 */
public final class KeyRates {
    private KeyRates() {
    }

    /** {@code router}, limited as the environment says. */
    public static ApiRouter limit(ApiRouter router, Env env, DynamoDbClient dynamo) {
        KeyRateLimits limits = KeyRateLimits.fromEnv(env);
        if (limits.perRole().isEmpty()) {
            return router;
        }
        return router.limitedBy(new KeyRateGuard(limits, new DynamoRequestLimiter(dynamo, Table.API_KEYS.name(env)),
                Clock.systemUTC()));
    }
}
