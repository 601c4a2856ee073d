package com.poolhub.metering.usage.rollup;

import java.util.List;

/**
 * Where rolled-up usage goes besides DynamoDB (which stays the record for billing): a time-series
 * store for dashboards. Optional and replaceable.
 */
public interface UsageMetricsSink {
    /**
     * Writes the windows just rolled up. A window written again with a higher version replaces the
     * earlier one. Calls the store in batches as it allows and retries passing failures a bounded
     * number of times.
     *
     * @return how many were accepted and which were refused, with the store's reason
     * @throws RuntimeException when the store could not be reached after the retries
     */
    Result write(List<VersionedWindow> windows);

    /** The outcome of one write. */
    record Result(int accepted, List<Refused> refused) {
        public static final Result NONE = new Result(0, List.of());
    }

    /** A window the store refused and why. */
    record Refused(VersionedWindow window, String reason) {
    }

    /** No sink: nothing is written. */
    static UsageMetricsSink none() {
        return windows -> Result.NONE;
    }
}
