package com.poolhub.metering.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A validated {@code compute.usage.v1} event (CONTRACT §1.1).
 *
 * @param fingerprint 64-bit identity of (source, id), see {@link com.poolhub.metering.event.Fingerprint}
 * @param tenant      the billed tenant (the event's subject)
 * @param quantity    exact decimal, ≥ 0, ≤ 18 significant digits and 9 decimals
 * @param accelerator optional, null when absent
 * @param operation   optional, null when absent
 * @param minerId     optional, null when absent
 */
public record UsageEvent(long fingerprint, String tenant, Resource resource, UsageUnit unit, BigDecimal quantity,
                         Instant time, String accelerator, String operation, String minerId,
                         Map<String, String> metadata) {

    /** The minute aggregate this event counts in. */
    public UsageKey minuteKey() {
        return new UsageKey(tenant, resource, unit, Granularity.MINUTE, Granularity.MINUTE.windowStart(time));
    }
}
