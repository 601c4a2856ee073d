package com.poolhub.metering.ingest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Keeps refused inputs with their reasons. Saving the same reject twice keeps one copy. */
public interface RejectStore {
    /**
     * Saves the rejects; returns those that could not be saved after bounded retries, so the caller
     * can report their records as batch item failures rather than lose them.
     */
    List<RejectedRecord> save(List<RejectedRecord> rejects);

    /** The unresolved rejects of a stream that arrived on a UTC day, oldest first. */
    Page list(String stream, LocalDate day, int limit, String nextToken);

    /**
     * The rejects of a stream and arrival day with the given {@link RejectedRecord#key() keys}, in
     * arrival order; keys of rejects resolved or not (or no longer) kept are left out. This default pages through
     * the day; a store that can read by key does better.
     */
    default List<RejectedRecord> find(String stream, LocalDate day, Collection<String> keys) {
        Set<String> wanted = new HashSet<>(keys);
        List<RejectedRecord> found = new ArrayList<>();
        String token = null;
        do {
            Page page = list(stream, day, 1000, token);
            page.items().stream().filter(reject -> wanted.contains(reject.key())).forEach(found::add);
            token = page.nextToken();
        } while (token != null && found.size() < wanted.size());
        return found;
    }

    /**
     * Marks a reject resolved once its event is counted: it leaves {@link #list} and {@link #find} and
     * is kept {@link #RESOLVED_RETENTION} more for inspection, then expires.
     */
    void resolve(RejectedRecord reject, Instant resolvedAt);

    /** How long a resolved reject is kept after it was resolved. */
    Duration RESOLVED_RETENTION = Duration.ofDays(7);

    /** One page of rejects and the token of the next, or null at the end. */
    record Page(List<RejectedRecord> items, String nextToken) {
    }
}
