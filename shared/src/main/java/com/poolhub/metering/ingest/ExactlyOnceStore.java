package com.poolhub.metering.ingest;

import java.util.List;
import java.util.Map;

/**
 * Applies a batch's events to their aggregates so that each event counts once, however often it is
 * delivered. Each key is updated in one atomic, conditional step that records the fingerprints it
 * counted together with the new totals, so a crash between two keys leaves every key either fully
 * applied or untouched, and a redelivery skips what was already counted.
 *
 * @param <E> domain event
 * @param <K> aggregate key
 */
public interface ExactlyOnceStore<E, K> {
    /**
     * Folds each key's events into its aggregate, skipping events the aggregate already counted and
     * repeats within the list. A key that could not be written (throttled past the retries, timed
     * out) is reported in {@link ApplyOutcome#failedKeys()} and left unchanged; other keys go on.
     */
    ApplyOutcome<K, E> apply(Map<K, List<E>> eventsByKey);
}
