package com.poolhub.metering.billing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * An {@link ApiKeySource} that fetches the key through a loader once per container and reuses it for
 * a time to live, so a rotated secret is picked up without a redeploy; {@link #invalidate()} forces a
 * fetch on the next use.
 */
public final class CachedApiKey implements ApiKeySource {
    private final Supplier<String> loader;
    private final Duration timeToLive;
    private final Clock clock;
    private String key;
    private Instant fetchedAt;

    public CachedApiKey(Supplier<String> loader, Duration timeToLive, Clock clock) {
        this.loader = loader;
        this.timeToLive = timeToLive;
        this.clock = clock;
    }

    @Override
    public synchronized String apiKey() {
        Instant now = clock.instant();
        if (key == null || !now.isBefore(fetchedAt.plus(timeToLive))) {
            String loaded = loader.get();
            if (loaded == null || loaded.isBlank()) {
                throw new IllegalStateException("the coordinator API key secret is empty");
            }
            key = loaded.trim();
            fetchedAt = now;
        }
        return key;
    }

    @Override
    public synchronized void invalidate() {
        key = null;
    }
}
