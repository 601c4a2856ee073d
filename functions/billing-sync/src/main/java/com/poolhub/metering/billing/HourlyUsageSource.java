package com.poolhub.metering.billing;

import java.time.Instant;
import java.util.List;

/** Reads every tenant's hourly usage totals. */
public interface HourlyUsageSource {
    /**
     * Every tenant's usage lines of the hour starting at {@code hourStart}, all pages read.
     *
     * @throws RuntimeException when the store cannot be read; the sync run stops and retries next time
     */
    List<HourlyUsage> usageOf(Instant hourStart);
}
