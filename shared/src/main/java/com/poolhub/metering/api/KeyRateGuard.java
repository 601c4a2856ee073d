package com.poolhub.metering.api;

import com.poolhub.metering.quota.RateLimit;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a request whose API key has spent its rate with 429, {@code RATE_LIMITED} and a
 * {@code Retry-After} (whole seconds, rounded up). A request without a caller is left to its route
 * (which answers 401). When the bucket cannot be read or written the request goes through and the
 * failure is logged: the limit protects the service, and must not become the reason it is down.
 */
public final class KeyRateGuard {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRateGuard.class);

    private final KeyRateLimits limits;
    private final RequestLimiter limiter;
    private final Clock clock;

    public KeyRateGuard(KeyRateLimits limits, RequestLimiter limiter, Clock clock) {
        this.limits = limits;
        this.limiter = limiter;
        this.clock = clock;
    }

    /** Throws the 429 when the request's key may not make it now. */
    public void admit(ApiRequest request) {
        Caller caller;
        try {
            caller = request.caller();
        } catch (ApiException noCaller) {
            return;
        }
        Optional<RateLimit> limit = limits.of(caller.role(), request.route());
        if (limit.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Optional<Duration> wait;
        try {
            wait = limiter.take(request.keyId(), limit.get(), RequestCost.of(request, now), now);
        } catch (RuntimeException e) {
            LOG.warn("the key's rate could not be checked; the request goes through: {}", e.toString());
            return;
        }
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            throw new ApiException(429, "RATE_LIMITED", "this API key's request rate is spent; retry after " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)));
        }
    }
}
