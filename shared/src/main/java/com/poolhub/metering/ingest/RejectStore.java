package com.poolhub.metering.ingest;

import java.time.LocalDate;
import java.util.List;

/** Keeps refused inputs with their reasons. Saving the same reject twice keeps one copy. */
public interface RejectStore {
    /**
     * Saves the rejects; returns those that could not be saved after bounded retries, so the caller
     * can report their records as batch item failures rather than lose them.
     */
    List<RejectedRecord> save(List<RejectedRecord> rejects);

    /** The rejects of a stream that arrived on a UTC day, oldest first. */
    Page list(String stream, LocalDate day, int limit, String nextToken);

    /** Removes a reject once it has been replayed successfully. */
    void delete(RejectedRecord reject);

    /** One page of rejects and the token of the next, or null at the end. */
    record Page(List<RejectedRecord> items, String nextToken) {
    }
}
