package com.poolhub.metering.sla;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A collection asked for through the API and run by the collector on its {@code SlaCollectionRequested}
 * event.
 *
 * @param attempts    how many times the collector claimed it (0 while {@code REQUESTED})
 * @param leaseUntil  while {@code RUNNING}: when the claim lapses and a redelivery may take it over
 * @param result      once {@code SUCCEEDED}: the counts the collection reports ({@link SlaJson#collection})
 * @param reason      once {@code FAILED}: why
 */
public record CollectionRequest(String id, SlaWindow window, CollectionStatus status, Instant requestedAt,
                                String requestedBy, int attempts, Instant startedAt, Instant leaseUntil,
                                Instant finishedAt, ObjectNode result, String reason) {

    /** A new request, not yet claimed. */
    public static CollectionRequest requested(String id, SlaWindow window, Instant at, String requestedBy) {
        return new CollectionRequest(id, window, CollectionStatus.REQUESTED, at, requestedBy, 0, null, null, null, null, null);
    }
}
