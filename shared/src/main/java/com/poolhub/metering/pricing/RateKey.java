package com.poolhub.metering.pricing;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;

/** What a rate prices: one resource measured in one unit. */
public record RateKey(Resource resource, UsageUnit unit) {
    @Override
    public String toString() {
        return resource + "/" + unit.wire();
    }
}
