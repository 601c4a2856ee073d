package com.poolhub.metering.usage;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Fixed-width UTC timestamps ({@code 2026-11-22T10:15:00Z}) that sort as text in time order. */
public final class UtcTimes {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);

    private UtcTimes() {
    }

    public static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
