package com.poolhub.metering.ingest.function;

import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * A store whose aggregates for some keys can take no more events: it refuses every event of those
 * keys, either naming each once and its repeats as duplicates (as the real store does for a full
 * aggregate) or silently, and passes the other keys to the real store.
 */
final class FullAggregates<E, K> implements ExactlyOnceStore<E, K> {
    private final ExactlyOnceStore<E, K> store;
    private final Predicate<K> full;
    private final ToLongFunction<E> fingerprint;

    private FullAggregates(ExactlyOnceStore<E, K> store, Predicate<K> full, ToLongFunction<E> fingerprint) {
        this.store = store;
        this.full = full;
        this.fingerprint = fingerprint;
    }

    /** Refuses the events of full keys, naming each event once and counting its repeats as duplicates. */
    static <E, K> FullAggregates<E, K> naming(ExactlyOnceStore<E, K> store, Predicate<K> full,
                                              ToLongFunction<E> fingerprint) {
        return new FullAggregates<>(store, full, fingerprint);
    }

    /** Leaves the events of full keys uncounted without naming them. */
    static <E, K> FullAggregates<E, K> silent(ExactlyOnceStore<E, K> store, Predicate<K> full) {
        return new FullAggregates<>(store, full, null);
    }

    @Override
    public ApplyOutcome<K, E> apply(Map<K, List<E>> eventsByKey) {
        Map<K, List<E>> open = new LinkedHashMap<>();
        List<E> refused = new ArrayList<>();
        long repeats = 0;
        for (Map.Entry<K, List<E>> entry : eventsByKey.entrySet()) {
            if (!full.test(entry.getKey())) {
                open.put(entry.getKey(), entry.getValue());
                continue;
            }
            Set<Long> seen = new HashSet<>();
            for (E event : entry.getValue()) {
                if (fingerprint == null) {
                    continue;
                }
                if (seen.add(fingerprint.applyAsLong(event))) {
                    refused.add(event);
                } else {
                    repeats++;
                }
            }
        }
        ApplyOutcome<K, E> outcome = open.isEmpty() ? ApplyOutcome.nothing() : store.apply(open);
        List<E> overflow = new ArrayList<>(outcome.overflow());
        overflow.addAll(refused);
        return new ApplyOutcome<>(outcome.applied(), outcome.duplicates() + repeats, outcome.failedKeys(), overflow);
    }
}
