package com.poolhub.metering.ingest;

import java.util.List;
import java.util.Map;

/**
 * What an {@link ExactlyOnceStore} did with a batch.
 *
 * @param applied    events newly counted
 * @param duplicates events skipped because they were already counted
 * @param failedKeys keys left unchanged because of a passing fault, with the cause
 * @param overflow   events refused because their aggregate cannot hold more fingerprints; they are
 *                   kept as rejects rather than lost
 */
public record ApplyOutcome<K, E>(long applied, long duplicates, Map<K, Exception> failedKeys, List<E> overflow) {
    public static <K, E> ApplyOutcome<K, E> nothing() {
        return new ApplyOutcome<>(0, 0, Map.of(), List.of());
    }
}
