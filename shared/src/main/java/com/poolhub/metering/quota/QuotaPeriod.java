package com.poolhub.metering.quota;

import com.poolhub.metering.usage.Granularity;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/** The period a quota counts over; periods start and reset on UTC boundaries. */
public enum QuotaPeriod {
    HOUR(Granularity.HOUR), DAY(Granularity.DAY), MONTH(Granularity.MONTH);

    private final Granularity window;

    QuotaPeriod(Granularity window) {
        this.window = window;
    }

    /** The start of the period holding {@code t}. */
    public Instant start(Instant t) {
        return window.windowStart(t);
    }

    /** When the period holding {@code t} ends and the quota's use starts again from zero. */
    public Instant resetAt(Instant t) {
        return window.next(start(t));
    }

    public static Optional<QuotaPeriod> parse(String name) {
        return Arrays.stream(values()).filter(p -> p.name().equals(name)).findFirst();
    }
}
