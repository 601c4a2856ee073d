package com.poolhub.metering.pricing;

import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How much of a resource and unit a tenant has used so far in a UTC month: the position that
 * graduated tiers are read from. Starts from the quantities used before the first window priced
 * (zero where none is given) and moves on as windows are priced in time order.
 */
public final class MonthToDate {
    /** One tenant's use of one resource and unit in one month. */
    public record Position(String tenant, Resource resource, UsageUnit unit, Instant monthStart) {
        public static Position of(UsageKey key) {
            return new Position(key.tenant(), key.resource(), key.unit(), Granularity.MONTH.windowStart(key.windowStart()));
        }
    }

    private final Map<Position, BigDecimal> used;

    public MonthToDate(Map<Position, BigDecimal> usedBefore) {
        this.used = new HashMap<>(usedBefore);
    }

    /** Nothing used before: right when pricing starts at a month's start. */
    public static MonthToDate empty() {
        return new MonthToDate(Map.of());
    }

    /** The quantity used in the window's month before the window. */
    public BigDecimal before(UsageKey key) {
        return used.getOrDefault(Position.of(key), BigDecimal.ZERO);
    }

    /** Counts a window's quantity as used (the pricer does this for every window it prices). */
    public void advance(UsageKey key, BigDecimal quantity) {
        used.merge(Position.of(key), quantity, BigDecimal::add);
    }
}
