package com.poolhub.metering.signing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The signing keys of one producer: at most {@link #MAX_ACTIVE} active keys (two, so a producer can
 * rotate without a gap) and the ids of the keys it revoked, so an event signed with a revoked key is
 * refused as such and not as unknown.
 *
 * @param producerId the producer
 * @param active     the active keys, oldest first
 * @param revoked    the revoked key ids
 */
public record ProducerKeys(String producerId, List<SigningKey> active, Set<String> revoked) {
    /** Active keys a producer may hold at once. */
    public static final int MAX_ACTIVE = 2;

    public ProducerKeys {
        List<SigningKey> sorted = new ArrayList<>(active);
        sorted.sort(Comparator.comparing(SigningKey::issuedAt).thenComparing(SigningKey::keyId));
        active = List.copyOf(sorted);
        revoked = Set.copyOf(revoked);
    }

    /** A producer without keys. */
    public static ProducerKeys none(String producerId) {
        return new ProducerKeys(producerId, List.of(), Set.of());
    }

    /** The active key with this id. */
    public Optional<SigningKey> key(String keyId) {
        return active.stream().filter(k -> k.keyId().equals(keyId)).findFirst();
    }

    /** Whether another key may be issued. */
    public boolean canIssue() {
        return active.size() < MAX_ACTIVE;
    }

    /** The keys with a fresh one added; throws {@link IllegalStateException} when two are active. */
    public ProducerKeys issue(Instant now) {
        if (!canIssue()) {
            throw new IllegalStateException("producer " + producerId + " already has " + MAX_ACTIVE + " active keys");
        }
        List<SigningKey> keys = new ArrayList<>(active);
        keys.add(SigningKey.issue(producerId, now));
        return new ProducerKeys(producerId, keys, revoked);
    }

    /** The key issued last. */
    public SigningKey newest() {
        return active.get(active.size() - 1);
    }

    /** The keys with {@code keyId} revoked; throws {@link IllegalArgumentException} when it is not active. */
    public ProducerKeys revoke(String keyId) {
        if (key(keyId).isEmpty()) {
            throw new IllegalArgumentException("no active key " + keyId);
        }
        Set<String> gone = new LinkedHashSet<>(revoked);
        gone.add(keyId);
        return new ProducerKeys(producerId, active.stream().filter(k -> !k.keyId().equals(keyId)).toList(), gone);
    }
}
