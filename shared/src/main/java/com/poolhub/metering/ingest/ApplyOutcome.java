package com.poolhub.metering.ingest;

import java.util.Map;

/**
 * What an {@link ExactlyOnceStore} did with a batch.
 *
 * @param applied    events newly counted
 * @param duplicates events skipped because they were already counted
 * @param failedKeys keys left unchanged because of a passing fault, with the cause (some of their
 *                   events may already be counted; a retry skips those)
 */
public record ApplyOutcome<K, E>(long applied, long duplicates, Map<K, Exception> failedKeys) {
    public static <K, E> ApplyOutcome<K, E> nothing() {
        return new ApplyOutcome<>(0, 0, Map.of());
    }
}
