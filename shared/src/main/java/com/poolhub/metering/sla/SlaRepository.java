package com.poolhub.metering.sla;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Where SLA collections, metrics, violations, snapshots and recommendations are kept. */
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
}
