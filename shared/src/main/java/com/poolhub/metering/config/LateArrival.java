package com.poolhub.metering.config;

import com.poolhub.metering.event.EventTimePolicy;
import java.time.Duration;

/**
 * The late-arrival limit, {@code LATE_ARRIVAL_LIMIT_DAYS}: how old an event may be and still be
 * counted, also the deduplication horizon. Ingest and SLA collection read it the same way; its
 * default is {@link EventTimePolicy#DEFAULT_LATE_ARRIVAL}.
 */
public final class LateArrival {
    private LateArrival() {
    }

    /** The limit from the environment, default 35 days. */
    public static Duration limit(Env env) {
        return env.days("LATE_ARRIVAL_LIMIT_DAYS", (int) EventTimePolicy.DEFAULT_LATE_ARRIVAL.toDays());
    }
}
