package com.poolhub.metering.hardening.fuzz;

import com.poolhub.metering.ingest.Aggregation;
import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** In-memory ports for the pure fuzz pass: the real fold and fingerprints, no I/O. */
final class InMemoryIngest {
    private InMemoryIngest() {
    }

    /** Folds events with the stream's own aggregation, counting each fingerprint once per key. */
    static final class Store<E, K, S> implements ExactlyOnceStore<E, K> {
        private final Aggregation<E, K, S> aggregation;
        private final Map<K, S> states = new HashMap<>();
        private final Map<K, Set<Long>> counted = new HashMap<>();

        Store(Aggregation<E, K, S> aggregation) {
            this.aggregation = aggregation;
        }

        @Override
        public ApplyOutcome<K, E> apply(Map<K, List<E>> eventsByKey) {
            long applied = 0;
            long duplicates = 0;
            for (Map.Entry<K, List<E>> entry : eventsByKey.entrySet()) {
                K key = entry.getKey();
                S state = states.computeIfAbsent(key, aggregation::empty);
                Set<Long> seen = counted.computeIfAbsent(key, k -> new HashSet<>());
                for (E event : entry.getValue()) {
                    if (seen.add(aggregation.fingerprintOf(event))) {
                        state = aggregation.add(state, event);
                        applied++;
                    } else {
                        duplicates++;
                    }
                }
                states.put(key, state);
            }
            return new ApplyOutcome<>(applied, duplicates, Map.of());
        }
    }

    static <E, K, S> Store<E, K, S> store(Aggregation<E, K, S> aggregation) {
        return new Store<>(aggregation);
    }
}
