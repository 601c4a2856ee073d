package com.poolhub.metering.api;

import com.poolhub.metering.config.Env;
import com.poolhub.metering.quota.RateLimit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The request rate each API key may use, per role: {@code API_RATE_LIMITS}, for example
 * {@code ADMIN=1200/300,TENANT=600/120,MINER=300/60} (requests per minute / burst; the default), or
 * {@code off}. A request costs one token, or one per started 31 days of the range it reads
 * ({@link RequestCost}), never more than the burst. {@code POST /quota/consume} is not limited here: it is
 * the metered hot path itself, limited by the tenant's own rate limit, and stays one DynamoDB request.
 */
public record KeyRateLimits(Map<Caller.Role, RateLimit> perRole) {
    public static final String DEFAULT = "ADMIN=1200/300,TENANT=600/120,MINER=300/60";
    /** The routes no key limit applies to. */
    public static final Set<String> EXEMPT = Set.of("POST /quota/consume");

    public KeyRateLimits {
        perRole = Map.copyOf(perRole);
    }

    /** From {@code API_RATE_LIMITS}; a malformed value stops the function at start. */
    public static KeyRateLimits fromEnv(Env env) {
        return parse(env.optional("API_RATE_LIMITS", DEFAULT));
    }

    /** {@code ROLE=perMinute/burst,...} or {@code off}; roles left out are not limited. */
    public static KeyRateLimits parse(String text) {
        Map<Caller.Role, RateLimit> limits = new EnumMap<>(Caller.Role.class);
        if (!text.isBlank() && !text.trim().equalsIgnoreCase("off")) {
            for (String part : text.split(",")) {
                String[] roleAndRate = part.trim().split("=", 2);
                String[] rate = roleAndRate.length == 2 ? roleAndRate[1].split("/", 2) : new String[0];
                try {
                    if (rate.length != 2) {
                        throw new IllegalArgumentException("expected ROLE=perMinute/burst");
                    }
                    Caller.Role role = Caller.Role.valueOf(roleAndRate[0].trim());
                    if (limits.put(role, new RateLimit(Long.parseLong(rate[0].trim()), Long.parseLong(rate[1].trim()))) != null) {
                        throw new IllegalArgumentException(role + " is named twice");
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException("API_RATE_LIMITS has an invalid part '" + part + "': " + e.getMessage(), e);
                }
            }
        }
        return new KeyRateLimits(limits);
    }

    /** The limit of a role on a route, if any. */
    public Optional<RateLimit> of(Caller.Role role, String route) {
        return EXEMPT.contains(route) ? Optional.empty() : Optional.ofNullable(perRole.get(role));
    }
}
