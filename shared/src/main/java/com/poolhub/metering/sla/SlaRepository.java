package com.poolhub.metering.sla;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where SLA collections, metrics, violations, snapshots, recommendations and collection requests are
 * kept.
 */
public interface SlaRepository {
    /** Stores a collection's miner metrics; retries unprocessed writes and throws if some remain. */
    void saveMinerMetrics(Instant collectedAt, List<MinerMetrics> metrics);

    void saveCollection(Collection collection);

    Optional<Collection> latestCollection();

    Page<MinerMetrics> minerMetrics(Instant collectedAt, int limit, Map<String, String> from);

    /**
     * Stores a violation unless this (subject, metric, collection) is already stored; a stored one
     * stays pending until {@link #markPublished}. Returns whether it was new.
     */
    boolean recordViolation(ViolationRecord violation);

    /** Violations whose event is not yet published, oldest first. */
    List<ViolationRecord> pendingViolations(int limit);

    void markPublished(ViolationRecord violation);

    /** Violations of collections at or after {@code since}, oldest first, optionally of one miner or metric. */
    Page<ViolationRecord> violations(Instant since, String minerId, SlaMetric metric, int limit, Map<String, String> from);

    void saveSnapshot(CapacitySnapshot snapshot);

    /** Snapshots with {@code from <= at < to}, oldest first. */
    Page<CapacitySnapshot> snapshots(Instant from, Instant to, int limit, Map<String, String> next);

    Optional<Recommendation> lastRecommendation();

    void saveRecommendation(Recommendation recommendation);

    /** Stores a new collection request; throws if one with its id is already stored. */
    void saveCollectionRequest(CollectionRequest request);

    Optional<CollectionRequest> collectionRequest(String id);

    /**
     * Claims the request for a run, {@code RUNNING} until {@code leaseUntil}, if it is
     * {@code REQUESTED} or {@code RUNNING} under a lease that lapsed by {@code now}; answers the
     * claim's attempt number, or empty when the request is finished, held or not stored.
     */
    OptionalInt claimCollectionRequest(String id, Instant now, Instant leaseUntil);

    /**
     * Marks the request finished if it is still unfinished and at {@code attempt} (0: the
     * {@code REQUESTED} item, before any claim); answers whether it was marked.
     */
    boolean finishCollectionRequest(String id, int attempt, CollectionStatus status, ObjectNode result, String reason,
                                    Instant at);
}
