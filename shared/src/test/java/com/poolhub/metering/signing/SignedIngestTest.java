package com.poolhub.metering.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.event.EventTimePolicy;
import com.poolhub.metering.ingest.ApplyOutcome;
import com.poolhub.metering.ingest.ExactlyOnceStore;
import com.poolhub.metering.ingest.IngestPipeline;
import com.poolhub.metering.ingest.IngestReport;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.UsageEventJson;
import com.poolhub.metering.usage.UsageAggregation;
import com.poolhub.metering.usage.UsageEvent;
import com.poolhub.metering.usage.UsageEventDecoder;
import com.poolhub.metering.usage.UsageKey;
import com.poolhub.metering.testing.ListRejects;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SignedIngestTest {
    /** Counts each fingerprint once and sums quantities. */
    static final class CountingStore implements ExactlyOnceStore<UsageEvent, UsageKey> {
        final Set<Long> counted = new HashSet<>();
        BigDecimal total = BigDecimal.ZERO;

        @Override
        public ApplyOutcome<UsageKey, UsageEvent> apply(Map<UsageKey, List<UsageEvent>> eventsByKey) {
            long applied = 0;
            long duplicates = 0;
            for (List<UsageEvent> events : eventsByKey.values()) {
                for (UsageEvent event : events) {
                    if (counted.add(event.fingerprint())) {
                        total = total.add(event.quantity());
                        applied++;
                    } else {
                        duplicates++;
                    }
                }
            }
            return new ApplyOutcome<>(applied, duplicates, Map.of());
        }
    }

    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    private final SignatureCheckTest.MemoryKeys keys = new SignatureCheckTest.MemoryKeys();
    private final CountingStore store = new CountingStore();
    private final ListRejects rejects = new ListRejects();
    private SigningKey active;
    private SigningKey revoked;

    @BeforeEach
    void producer() {
        ProducerKeys fleet = ProducerKeys.none("fleet").issue(clock.instant());
        revoked = fleet.newest();
        fleet = fleet.issue(clock.instant().plusSeconds(1));
        active = fleet.newest();
        keys.producers.put("fleet", fleet.revoke(revoked.keyId()));
    }

    private IngestPipeline<UsageEvent, UsageKey> pipeline(boolean required) {
        return new IngestPipeline<>("usage-events", new UsageEventDecoder(), EventTimePolicy.defaults(clock),
                new UsageAggregation(), store, rejects)
                .withSignatures(new SignatureCheck(new SigningKeyCache(keys, clock, Duration.ofMinutes(5), 10), required));
    }

    private static ObjectNode event(String id, String quantity) {
        return UsageEventJson.event("//nodes/n1", id, "tenant-1", "GPU", "compute_seconds", quantity,
                Instant.parse("2026-03-01T11:59:00Z"));
    }

    private static com.poolhub.metering.ingest.StreamRecord record(int seq, Object json) {
        return new com.poolhub.metering.ingest.StreamRecord("shard-0", Integer.toString(seq), "pk",
                Instant.parse("2026-03-01T12:00:00Z"), ByteBuffer.wrap(json.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private Map<String, Integer> reasons() {
        Map<String, Integer> codes = new TreeMap<>();
        rejects.saved().forEach(r -> codes.merge(r.rejection().code(), 1, Integer::sum));
        return codes;
    }

    @Test
    void aMixedBatchCountsTheGoodEventsOnceAndKeepsTheBadOnesWithTheirReasons() {
        ArrayNode array = Json.mapper().createArrayNode();
        array.add(EventSignature.signed(event("good-1", "1"), active));
        ObjectNode tampered = EventSignature.signed(event("forged", "5"), active);
        ((ObjectNode) tampered.get("data")).put("quantity", "500");
        array.add(tampered);
        array.add(EventSignature.signed(event("old-key", "7"), revoked));
        array.add(EventSignature.signed(event("stranger", "11"), SigningKey.issue("fleet", clock.instant())));
        array.add(event("unsigned", "13"));
        List<com.poolhub.metering.ingest.StreamRecord> batch = List.of(
                record(1, array),
                record(2, EventSignature.signed(event("good-2", "2"), active)),
                record(3, EventSignature.signed(event("good-1", "1"), active)));

        IngestReport first = pipeline(true).process(batch);
        IngestReport again = pipeline(true).process(batch);

        assertEquals(List.of(), first.failedSequenceNumbers());
        assertEquals(2, first.eventsApplied());
        assertEquals(0, again.eventsApplied());
        assertEquals(new BigDecimal("3"), store.total);
        assertEquals(Map.of("SIGNATURE_INVALID", 2, "SIGNATURE_KEY_REVOKED", 2, "SIGNATURE_MISSING", 2,
                "SIGNATURE_UNKNOWN_KEY", 2), reasons());
    }

    @Test
    void whereSignaturesAreOptionalUnsignedEventsCountAndBadSignaturesDoNot() {
        ObjectNode tampered = EventSignature.signed(event("forged", "5"), active);
        ((ObjectNode) tampered.get("data")).put("quantity", "500");
        IngestReport report = pipeline(false).process(List.of(record(1, event("unsigned", "13")), record(2, tampered),
                record(3, EventSignature.signed(event("signed", "2"), active))));

        assertEquals(2, report.eventsApplied());
        assertEquals(new BigDecimal("15"), store.total);
        assertEquals(Map.of("SIGNATURE_INVALID", 1), reasons());
    }

    @Test
    void whenTheKeysCannotBeReadTheRecordsAreRetriedNotRefused() {
        keys.down = true;
        IngestReport report = pipeline(true).process(List.of(record(7, EventSignature.signed(event("e", "1"), active)),
                record(8, EventSignature.signed(event("f", "1"), active))));

        assertEquals(List.of("7", "8"), report.failedSequenceNumbers());
        assertEquals(0, report.eventsApplied());
        assertEquals(List.of(), rejects.saved());
    }
}
