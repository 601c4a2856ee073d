package com.poolhub.metering.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Which audit records to list: written in {@code [from, to)}, optionally of one type and by one
 * principal. Records are listed oldest first.
 */
public record AuditQuery(Instant from, Instant to, Optional<String> type, Optional<String> principal) {
    /** The longest range one query may span (the longest retention the template allows, and some). */
    public static final Duration MAX_RANGE = Duration.ofDays(400);

    public AuditQuery {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw new IllegalArgumentException("the range must be at most 400 days");
        }
    }

    /** Whether a record matches the query's filters and range. */
    public boolean matches(AuditRecord record) {
        return !record.at().isBefore(from) && record.at().isBefore(to)
                && type.map(t -> t.equals(record.change().type())).orElse(true)
                && principal.map(p -> p.equals(record.actor().principal())).orElse(true);
    }
}
