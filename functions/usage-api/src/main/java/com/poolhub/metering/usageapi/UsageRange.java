package com.poolhub.metering.usageapi;

import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.config.UsageRetention;
import com.poolhub.metering.usage.Granularity;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The range and granularity a usage route reads, from its {@code from}, {@code to} and
 * {@code granularity} query parameters: default DAY, from the start of the current month to now;
 * {@code from} widened to the start of its window; at most {@link #MAX_RANGE} asked; never before
 * the price book's first rate, nor before the earliest window of the granularity still kept. Every usage route that prices a range reads it here, so they agree.
 *
 * @param from the start of the first window read (inclusive)
 * @param to   the end of the range asked (exclusive)
 */
public record UsageRange(Granularity granularity, Instant from, Instant to) {
    /** The longest range one usage query may span. */
    static final Duration MAX_RANGE = Duration.ofDays(400);

    /** The range of a request; a 400 naming the parameter when it is malformed or out of bounds. */
    static UsageRange of(ApiRequest request, Instant pricedFrom, UsageRetention retention, Clock clock) {
        Granularity granularity = request.queryEnum("granularity", Granularity.class).orElse(Granularity.DAY);
        Instant now = clock.instant();
        Instant asked = request.queryInstant("from").orElse(Granularity.MONTH.windowStart(now));
        Instant to = request.queryInstant("to").orElse(now);
        if (!asked.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        if (Duration.between(asked, to).compareTo(MAX_RANGE) > 0) {
            throw ApiException.badRequest("from and to may be at most " + MAX_RANGE.toDays() + " days apart");
        }
        Instant from = granularity.windowStart(asked);
        if (from.isBefore(pricedFrom)) {
            throw ApiException.badRequest("usage is priced from " + UtcTimes.format(pricedFrom)
                    + ", when the price book starts; this range's first " + granularity + " window begins "
                    + UtcTimes.format(from));
        }
        Instant kept = retention.earliestKept(granularity, now);
        if (from.isBefore(kept)) {
            throw ApiException.badRequest(granularity + " windows are kept from " + UtcTimes.format(kept)
                    + "; this range's first " + granularity + " window begins " + UtcTimes.format(from));
        }
        return new UsageRange(granularity, from, to);
    }
}
