package com.poolhub.metering.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Which event times are accepted: no older than the late-arrival limit (default 35 days, which is
 * also the deduplication horizon) and no more than the allowed skew (5 minutes) in the future.
 */
public record EventTimePolicy(Clock clock, Duration lateArrivalLimit, Duration futureSkew) {
    public static final Duration DEFAULT_LATE_ARRIVAL = Duration.ofDays(35);
    public static final Duration DEFAULT_FUTURE_SKEW = Duration.ofMinutes(5);

    public static EventTimePolicy defaults(Clock clock) {
        return new EventTimePolicy(clock, DEFAULT_LATE_ARRIVAL, DEFAULT_FUTURE_SKEW);
    }

    /** Throws {@link InvalidEventException} when {@code time} is outside the accepted range. */
    public void check(Instant time) {
        Instant now = clock.instant();
        if (time.isBefore(now.minus(lateArrivalLimit))) {
            throw new InvalidEventException("TOO_LATE", "time " + time + " is older than the late-arrival limit of "
                    + lateArrivalLimit.toDays() + " days");
        }
        if (time.isAfter(now.plus(futureSkew))) {
            throw new InvalidEventException("IN_FUTURE", "time " + time + " is more than "
                    + futureSkew.toMinutes() + " minutes in the future");
        }
    }
}
