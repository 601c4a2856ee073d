package com.poolhub.metering.usage;

import com.poolhub.metering.ingest.Aggregation;

/** Usage events fold into minute aggregates per (tenant, resource, unit): exact sums and event counts. */
public final class UsageAggregation implements Aggregation<UsageEvent, UsageKey, UsageTotals> {
    @Override
    public UsageKey keyOf(UsageEvent event) {
        return event.minuteKey();
    }

    @Override
    public long fingerprintOf(UsageEvent event) {
        return event.fingerprint();
    }

    @Override
    public UsageTotals empty(UsageKey key) {
        return UsageTotals.ZERO;
    }

    @Override
    public UsageTotals add(UsageTotals state, UsageEvent event) {
        return state.plus(event.quantity());
    }

    @Override
    public UsageTotals merge(UsageTotals a, UsageTotals b) {
        return a.plus(b);
    }
}
