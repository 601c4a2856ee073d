package com.poolhub.metering.quota;

import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A tenant's quota on one resource and unit over one period: the limit, the soft limit as a
 * percentage of it (crossing it warns) and whether the limit is hard (use beyond it is refused) or
 * soft only (use beyond it is allowed and reported as exceeded).
 *
 * @param softLimitPct 0..100, exact
 */
public record QuotaLimit(Resource resource, UsageUnit unit, QuotaPeriod period, BigDecimal limit,
                         BigDecimal softLimitPct, boolean hard) {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    public QuotaLimit {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(period, "period");
        if (!unit.appliesTo(resource)) {
            throw new IllegalArgumentException("unit " + unit.wire() + " does not apply to resource " + resource);
        }
        if (limit.signum() < 0) {
            throw new IllegalArgumentException("limit must be ≥ 0");
        }
        if (softLimitPct.signum() < 0 || softLimitPct.compareTo(HUNDRED) > 0) {
            throw new IllegalArgumentException("softLimitPct must be between 0 and 100");
        }
    }

    /** Whether this quota counts the given use. */
    public boolean covers(Resource resource, UsageUnit unit) {
        return this.resource == resource && this.unit == unit;
    }

    /** The use at which a threshold is reached: the soft limit, or the limit itself. */
    public BigDecimal amountAt(Threshold threshold) {
        return switch (threshold) {
            case SOFT -> limit.multiply(softLimitPct).movePointLeft(2).stripTrailingZeros();
            case LIMIT -> limit;
        };
    }

    /** The thresholds a use has reached, soft first. */
    public List<Threshold> reachedAt(BigDecimal used) {
        List<Threshold> reached = new ArrayList<>(2);
        for (Threshold threshold : Threshold.values()) {
            if (used.compareTo(amountAt(threshold)) >= 0) {
                reached.add(threshold);
            }
        }
        return reached;
    }
}
