package com.poolhub.metering.quota;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A period counter's content: the use so far, the thresholds whose crossing was already announced,
 * and when its ingested share must be reconciled once more with the usage aggregates ({@code settleAt},
 * null when it need not be).
 */
public record PeriodUse(BigDecimal used, Set<Threshold> announced, Instant settleAt) {
    public static final PeriodUse NONE = new PeriodUse(BigDecimal.ZERO, Set.of());

    public PeriodUse(BigDecimal used, Set<Threshold> announced) {
        this(used, announced, null);
    }

    public PeriodUse {
        announced = announced.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(announced));
    }

    /** Whether the counter is due to be reconciled with the usage aggregates at {@code now}. */
    public boolean settlesBy(Instant now) {
        return settleAt != null && !now.isBefore(settleAt);
    }

    /** Thresholds the given use reaches that were not announced yet. */
    public java.util.List<Threshold> unannounced(QuotaLimit quota, BigDecimal usedNow) {
        return quota.reachedAt(usedNow).stream().filter(t -> !announced.contains(t)).toList();
    }
}
