package com.poolhub.metering.billing;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;

/** One tenant's total use of one resource in one unit over one UTC hour, as the usage table holds it. */
public record HourlyUsage(String tenant, Resource resource, UsageUnit unit, Instant hourStart, BigDecimal quantity) {
}
