package com.poolhub.metering.billing;

import java.time.Instant;
import java.util.List;

/**
 * Reads the hourly usage totals that changed since they were last billed, and forgets a change once
 * it is billed. Every method throws a RuntimeException when the store cannot be used; the sync run
 * stops and the next one resumes from what is still marked.
 */
public interface HourlyUsageSource {
    /** Every tenant hour starting before {@code before} with a total changed since it was last billed. */
    List<TenantHour> changedBefore(Instant before);

    /** The tenant's usage lines of the hour, read consistently. */
    TenantHourUsage usageOf(TenantHour hour);

    /**
     * Forgets the changes of the lines read, each only if its total is still the one read, so a
     * total that changed since stays listed by {@link #changedBefore}.
     */
    void billed(TenantHourUsage usage);

    /** One tenant's hour starting at {@code hourStart}. */
    record TenantHour(String tenant, Instant hourStart) {
    }

    /**
     * One tenant's usage lines of one hour, and those of them whose change is not yet known billed.
     */
    record TenantHourUsage(TenantHour hour, List<HourlyUsage> lines, List<HourlyUsage> changed) {
    }
}
