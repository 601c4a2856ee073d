package com.poolhub.metering.usage.rollup;

import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.usage.UsageTotals;

/**
 * A usage window's totals with the version they were read at: a minute's {@code ver} (it grows with
 * every write that counts events), or for a rolled-up window the sum of its children's versions
 * ({@code srcVer}), which also only grows as children change. A greater version is a newer state.
 */
public record VersionedWindow(UsageKey key, UsageTotals totals, long version) {
}
