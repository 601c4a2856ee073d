package com.poolhub.metering.quota;

import java.math.BigDecimal;
import java.util.EnumSet;
import java.util.Set;

/** A period counter's content: the use so far and the thresholds whose crossing was already announced. */
public record PeriodUse(BigDecimal used, Set<Threshold> announced) {
    public static final PeriodUse NONE = new PeriodUse(BigDecimal.ZERO, Set.of());

    public PeriodUse {
        announced = announced.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(announced));
    }

    /** Thresholds the given use reaches that were not announced yet. */
    public java.util.List<Threshold> unannounced(QuotaLimit quota, BigDecimal usedNow) {
        return quota.reachedAt(usedNow).stream().filter(t -> !announced.contains(t)).toList();
    }
}
