package com.poolhub.metering.ingest;

/**
 * How a stream's events fold into keyed aggregates. Pure: no I/O, so the same fold runs in memory
 * for a batch and in the store's read-merge-write.
 *
 * @param <E> domain event
 * @param <K> aggregate key
 * @param <S> aggregate state (immutable)
 */
public interface Aggregation<E, K, S> {
    /** The aggregate the event counts in. */
    K keyOf(E event);

    /** The 64-bit identity of the event, for deduplication. */
    long fingerprintOf(E event);

    /** The state of an aggregate that has counted nothing. */
    S empty(K key);

    /** The state after counting one more event. */
    S add(S state, E event);

    /**
     * The state holding the events of both (for the same key and disjoint events): folding a batch's
     * partial states in any order gives the state of adding every event one by one.
     */
    S merge(S a, S b);
}
