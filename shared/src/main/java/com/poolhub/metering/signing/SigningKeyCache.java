package com.poolhub.metering.signing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The producers' keys as one container knows them: each producer's keys (or that it has none) are
 * read once and kept for {@code ttl}, so a revocation or a new key takes effect within the TTL; at most
 * {@code maxProducers} are kept, the least recently used going first. The key store is never read
 * per event.
 */
public final class SigningKeyCache {
    /** Default TTL: five minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);
    /** Default number of producers kept. */
    public static final int DEFAULT_MAX_PRODUCERS = 1_000;

    private record Entry(ProducerKeys keys, Instant readAt) {
    }

    private final SigningKeySource source;
    private final Clock clock;
    private final Duration ttl;
    private final Map<String, Entry> entries;

    public SigningKeyCache(SigningKeySource source, Clock clock, Duration ttl, int maxProducers) {
        this.source = source;
        this.clock = clock;
        this.ttl = ttl;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxProducers;
            }
        };
    }

    /** The producer's keys, read from the store when not known or older than the TTL. */
    public synchronized ProducerKeys keys(String producerId) {
        Instant now = clock.instant();
        Entry entry = entries.get(producerId);
        if (entry == null || !now.isBefore(entry.readAt().plus(ttl))) {
            entry = new Entry(source.load(producerId), now);
            entries.put(producerId, entry);
        }
        return entry.keys();
    }

    public Duration ttl() {
        return ttl;
    }
}
