package com.poolhub.metering.billing;

import java.util.Arrays;
import java.util.Optional;

/** The metrics the coordinator billing API accepts (CONTRACT §5), with their wire names. */
public enum BillingMetric {
    GPU_HOURS("gpu_hours"),
    API_CALLS("api_calls"),
    COMPUTE_HOURS("compute_hours");

    private final String wire;

    BillingMetric(String wire) {
        this.wire = wire;
    }

    /** The name sent to the coordinator and stored, e.g. {@code gpu_hours}. */
    public String wire() {
        return wire;
    }

    public static Optional<BillingMetric> parse(String wire) {
        return Arrays.stream(values()).filter(m -> m.wire.equals(wire)).findFirst();
    }
}
