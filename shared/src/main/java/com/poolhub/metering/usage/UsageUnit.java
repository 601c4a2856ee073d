package com.poolhub.metering.usage;

import java.util.Arrays;
import java.util.Optional;

/** The unit a quantity is measured in, and which resources may use it (CONTRACT §1.1). */
public enum UsageUnit {
    COMPUTE_SECONDS("compute_seconds"),
    GB_HOURS("gb_hours"),
    GB("gb"),
    IOPS("iops"),
    REQUESTS("requests"),
    TOKENS("tokens"),
    FLOP("flop");

    private final String wire;

    UsageUnit(String wire) {
        this.wire = wire;
    }

    /** The name used on the wire and in storage, e.g. {@code compute_seconds}. */
    public String wire() {
        return wire;
    }

    public static Optional<UsageUnit> parse(String wire) {
        return Arrays.stream(values()).filter(u -> u.wire.equals(wire)).findFirst();
    }

    /** Whether this unit may measure the resource. */
    public boolean appliesTo(Resource resource) {
        return switch (this) {
            case COMPUTE_SECONDS, FLOP -> resource.isCompute();
            case GB_HOURS -> resource == Resource.MEMORY || resource == Resource.STORAGE;
            case GB -> resource == Resource.NETWORK || resource == Resource.STORAGE;
            case IOPS -> resource == Resource.STORAGE;
            case REQUESTS, TOKENS -> resource == Resource.INFERENCE;
        };
    }
}
