package com.poolhub.metering.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/** Usage window sizes, aligned on UTC boundaries. A window is {@code [start, next(start))}. */
public enum Granularity {
    MINUTE, HOUR, DAY, MONTH;

    /** The start of the window holding {@code t}. */
    public Instant windowStart(Instant t) {
        return switch (this) {
            case MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
            case HOUR -> t.truncatedTo(ChronoUnit.HOURS);
            case DAY -> t.truncatedTo(ChronoUnit.DAYS);
            case MONTH -> {
                LocalDate date = LocalDate.ofInstant(t, ZoneOffset.UTC).withDayOfMonth(1);
                yield date.atStartOfDay(ZoneOffset.UTC).toInstant();
            }
        };
    }

    /** The start of the window after the one starting at {@code start}. */
    public Instant next(Instant start) {
        ZonedDateTime z = start.atZone(ZoneOffset.UTC);
        return switch (this) {
            case MINUTE -> z.plusMinutes(1).toInstant();
            case HOUR -> z.plusHours(1).toInstant();
            case DAY -> z.plusDays(1).toInstant();
            case MONTH -> z.plusMonths(1).toInstant();
        };
    }

    /** The next coarser granularity, or null for MONTH. */
    public Granularity coarser() {
        return switch (this) {
            case MINUTE -> HOUR;
            case HOUR -> DAY;
            case DAY -> MONTH;
            case MONTH -> null;
        };
    }
}
