package com.poolhub.metering.aws.pricing;

import com.poolhub.metering.config.Env;
import java.time.Duration;

/** How long a container keeps a tenant's price overrides: {@code PRICE_OVERRIDE_CACHE_SECONDS} (60, 0 to 3600). */
public final class PriceOverrideSettings {
    public static final int DEFAULT_CACHE_SECONDS = 60;

    private PriceOverrideSettings() {
    }

    public static Duration cacheTtl(Env env) {
        int seconds = env.intValue("PRICE_OVERRIDE_CACHE_SECONDS", DEFAULT_CACHE_SECONDS);
        if (seconds < 0 || seconds > 3600) {
            throw new IllegalStateException("environment variable PRICE_OVERRIDE_CACHE_SECONDS must be 0 to 3600: " + seconds);
        }
        return Duration.ofSeconds(seconds);
    }
}
