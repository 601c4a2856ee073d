package com.poolhub.metering.quota;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.util.List;

/**
 * A tenant's quota settings as stored: its quotas, its rate limit (null for none) and its rate
 * bucket's state (null while the tenant has never been rate limited: a full bucket).
 */
public record TenantQuotas(String tenant, List<QuotaLimit> limits, RateLimit rate, BucketState bucket) {
    public TenantQuotas {
        limits = List.copyOf(limits);
    }

    /** The quotas that count use of this resource in this unit (one per period at most). */
    public List<QuotaLimit> limitsFor(Resource resource, UsageUnit unit) {
        return limits.stream().filter(limit -> limit.covers(resource, unit)).toList();
    }
}
