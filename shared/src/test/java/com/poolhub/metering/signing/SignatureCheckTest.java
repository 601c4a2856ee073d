package com.poolhub.metering.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.event.Rejection;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.UsageEventJson;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {
    /** Keys kept in memory, counting reads. */
    static final class MemoryKeys implements SigningKeySource {
        final Map<String, ProducerKeys> producers = new HashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        boolean down;

        @Override
        public ProducerKeys load(String producerId) {
            reads.incrementAndGet();
            if (down) {
                throw new KeyStoreUnavailableException("store down", null);
            }
            return producers.getOrDefault(producerId, ProducerKeys.none(producerId));
        }
    }

    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    private final MemoryKeys store = new MemoryKeys();
    private SigningKeyCache cache;

    @BeforeEach
    void keys() {
        store.producers.put("fleet", ProducerKeys.none("fleet").issue(clock.instant()));
        cache = new SigningKeyCache(store, clock, Duration.ofMinutes(5), 100);
    }

    private SigningKey key() {
        return store.producers.get("fleet").newest();
    }

    private static ObjectNode event(String id) {
        return UsageEventJson.event("//nodes/n1", id, "tenant-1", "GPU", "compute_seconds", "1", Instant.parse("2026-03-01T11:59:00Z"));
    }

    private static String code(Optional<Rejection> rejection) {
        return rejection.map(Rejection::code).orElse("OK");
    }

    @Test
    void aGoodSignatureIsAcceptedWhetherRequiredOrNot() {
        ObjectNode signed = EventSignature.signed(event("e1"), key());
        assertEquals("OK", code(new SignatureCheck(cache, true).check(signed)));
        assertEquals("OK", code(new SignatureCheck(cache, false).check(signed)));
    }

    @Test
    void unsignedEventsAreRefusedOnlyWhereSignaturesAreRequired() {
        assertEquals("SIGNATURE_MISSING", code(new SignatureCheck(cache, true).check(event("e1"))));
        assertEquals("OK", code(new SignatureCheck(cache, false).check(event("e1"))));
    }

    @Test
    void aTenantCanRequireSignaturesOnAStreamThatDoesNot() {
        SignatureCheck check = new SignatureCheck(cache, false, java.util.Set.of("tenant-1"));
        ObjectNode other = UsageEventJson.event("//nodes/n1", "e2", "tenant-2", "GPU", "compute_seconds", "1",
                Instant.parse("2026-03-01T11:59:00Z"));
        assertEquals("SIGNATURE_MISSING", code(check.check(event("e1"))));
        assertEquals("OK", code(check.check(EventSignature.signed(event("e1"), key()))));
        assertEquals("OK", code(check.check(other)));
    }

    @Test
    void badSignaturesAreRefusedEvenWhereSignaturesAreNotRequired() {
        SignatureCheck check = new SignatureCheck(cache, false);
        ObjectNode tampered = EventSignature.signed(event("e1"), key());
        ((ObjectNode) tampered.get("data")).put("quantity", "1000");
        assertEquals("SIGNATURE_INVALID", code(check.check(tampered)));

        ObjectNode unknown = EventSignature.signed(event("e2"), SigningKey.issue("fleet", clock.instant()));
        assertEquals("SIGNATURE_UNKNOWN_KEY", code(check.check(unknown)));
        ObjectNode otherProducer = EventSignature.signed(event("e3"), SigningKey.issue("nobody", clock.instant()));
        assertEquals("SIGNATURE_UNKNOWN_KEY", code(check.check(otherProducer)));

        ObjectNode notAnId = EventSignature.signed(event("e4"), key());
        notAnId.put(EventSignature.KEY_ID, "../../etc");
        assertEquals("SIGNATURE_UNKNOWN_KEY", code(check.check(notAnId)));

        ObjectNode halfSigned = event("e5");
        halfSigned.put(EventSignature.SIG, "abc");
        assertEquals("SIGNATURE_MALFORMED", code(check.check(halfSigned)));
        ObjectNode numeric = EventSignature.signed(event("e6"), key());
        numeric.put(EventSignature.SIG, 5);
        assertEquals("SIGNATURE_MALFORMED", code(check.check(numeric)));
    }

    @Test
    void duringRotationBothActiveKeysSignAndARevokedKeyIsRefusedAfterTheTtl() {
        SignatureCheck check = new SignatureCheck(cache, true);
        SigningKey first = key();
        ObjectNode byFirst = EventSignature.signed(event("e1"), first);
        assertEquals("OK", code(check.check(byFirst)));

        store.producers.put("fleet", store.producers.get("fleet").issue(clock.instant().plusSeconds(1)));
        SigningKey second = key();
        assertThrows(IllegalStateException.class, () -> store.producers.get("fleet").issue(clock.instant()));
        clock.advance(Duration.ofMinutes(5));
        assertEquals("OK", code(check.check(EventSignature.signed(event("e2"), second))), "new key known after the TTL");
        assertEquals("OK", code(check.check(byFirst)), "both keys active");

        store.producers.put("fleet", store.producers.get("fleet").revoke(first.keyId()));
        clock.advance(Duration.ofMinutes(4).plusSeconds(59));
        assertEquals("OK", code(check.check(byFirst)), "the cache still holds the revoked key within its TTL");
        clock.advance(Duration.ofSeconds(1));
        assertEquals("SIGNATURE_KEY_REVOKED", code(check.check(byFirst)), "refused once the TTL ran out");
        assertEquals("OK", code(check.check(EventSignature.signed(event("e3"), second))));
    }

    @Test
    void theStoreIsReadOncePerProducerAndTtlNotPerEvent() {
        SignatureCheck check = new SignatureCheck(cache, true);
        for (int i = 0; i < 500; i++) {
            check.check(EventSignature.signed(event("e" + i), key()));
            check.check(EventSignature.signed(event("u" + i), SigningKey.issue("stranger", clock.instant())));
        }
        assertEquals(2, store.reads.get());
    }

    @Test
    void theCacheIsBoundedByProducers() {
        SigningKeyCache small = new SigningKeyCache(store, clock, Duration.ofMinutes(5), 2);
        small.keys("a");
        small.keys("b");
        small.keys("a");
        small.keys("c");
        small.keys("a");
        assertEquals(3, store.reads.get(), "a stays, being used most recently");
        small.keys("b");
        assertEquals(4, store.reads.get(), "b was dropped");
    }

    @Test
    void anUnreachableStoreIsNotARefusal() {
        store.down = true;
        SignatureCheck check = new SignatureCheck(cache, true);
        assertThrows(KeyStoreUnavailableException.class, () -> check.check(EventSignature.signed(event("e1"), key())));
    }

    @Test
    void theRequirementSettingNamesStreams() {
        assertTrue(SignatureRequirement.of("all").requiredFor("miner-telemetry"));
        assertTrue(SignatureRequirement.of("usage-events").requiredFor("usage-events"));
        assertEquals(false, SignatureRequirement.of("usage-events").requiredFor("miner-telemetry"));
        assertEquals(false, SignatureRequirement.of("off").requiredFor("usage-events"));
        assertThrows(IllegalArgumentException.class, () -> SignatureRequirement.of("yes"));
        assertEquals(false, SignatureRequirement.fromEnv(new com.poolhub.metering.config.Env(Map.of())).requiredFor("usage-events"));
    }
}
