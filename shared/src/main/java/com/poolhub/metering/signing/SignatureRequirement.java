package com.poolhub.metering.signing;

import com.poolhub.metering.config.Env;
import java.util.Set;

/**
 * Which streams require signed events: {@code REQUIRE_SIGNATURES} = {@code off} (default),
 * {@code usage-events}, {@code miner-telemetry} or {@code all}. Where signatures are not required a
 * signed event is still verified, and refused when its signature does not hold.
 */
public final class SignatureRequirement {
    /** The setting's name. */
    public static final String VARIABLE = "REQUIRE_SIGNATURES";
    private static final Set<String> STREAMS = Set.of("usage-events", "miner-telemetry");

    private final String value;

    private SignatureRequirement(String value) {
        this.value = value;
    }

    /** Parses a setting; throws {@link IllegalArgumentException} on an unknown value. */
    public static SignatureRequirement of(String value) {
        if (!"off".equals(value) && !"all".equals(value) && !STREAMS.contains(value)) {
            throw new IllegalArgumentException(VARIABLE + " must be off, usage-events, miner-telemetry or all, was " + value);
        }
        return new SignatureRequirement(value);
    }

    /** The setting from the environment, default off. */
    public static SignatureRequirement fromEnv(Env env) {
        return of(env.optional("REQUIRE_SIGNATURES", "off"));
    }

    /** Whether events of the stream must be signed. */
    public boolean requiredFor(String stream) {
        return "all".equals(value) || value.equals(stream);
    }
}
