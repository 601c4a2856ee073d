package com.poolhub.metering.api;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What a request costs against its key's rate limit: one token, or one per started 31 days of the
 * range it reads, from its {@code from} and {@code to} (default now) or its {@code days}, capped at
 * the burst by the limiter. A malformed range costs one: the route answers it with a 400.
 */
public final class RequestCost {
    /** The days one token covers. */
    public static final long DAYS_PER_TOKEN = 31;

    private RequestCost() {
    }

    /** The cost of {@code request} at {@code now}. */
    public static long of(ApiRequest request, Instant now) {
        long days = rangeDays(request, now).orElse(0L);
        return Math.max(1, (days + DAYS_PER_TOKEN - 1) / DAYS_PER_TOKEN);
    }

    private static Optional<Long> rangeDays(ApiRequest request, Instant now) {
        try {
            Optional<String> days = request.query("days");
            if (days.isPresent()) {
                return Optional.of(Math.max(0, Long.parseLong(days.get())));
            }
            Optional<String> from = request.query("from");
            if (from.isEmpty()) {
                return Optional.empty();
            }
            Instant start = Instant.parse(from.get());
            Instant end = request.query("to").map(Instant::parse).orElse(now);
            Duration range = Duration.between(start, end);
            return Optional.of(range.isNegative() ? 0 : (range.toSeconds() + 86_399) / 86_400);
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
