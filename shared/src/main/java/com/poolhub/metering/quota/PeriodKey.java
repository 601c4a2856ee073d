package com.poolhub.metering.quota;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.time.Instant;

/** One period's use counter of a tenant's quota: the period is named by its UTC start. */
public record PeriodKey(String tenant, Resource resource, UsageUnit unit, QuotaPeriod period, Instant start) {

    /** The counter of the period holding {@code t} for this quota. */
    public static PeriodKey of(String tenant, QuotaLimit quota, Instant t) {
        return new PeriodKey(tenant, quota.resource(), quota.unit(), quota.period(), quota.period().start(t));
    }

    public Instant resetAt() {
        return period.resetAt(start);
    }
}
