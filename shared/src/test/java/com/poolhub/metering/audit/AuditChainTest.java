package com.poolhub.metering.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.json.Json;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Verifying a day of the chain: an intact day passes; each kind of damage is named at its record. */
class AuditChainTest {
    private static final LocalDate DAY = LocalDate.parse("2026-12-03");
    private static final AuditActor ADMIN = new AuditActor("k1", "ADMIN", "ops", "req-1");
    private static final ChainLink YESTERDAY = new ChainLink(DAY.minusDays(1), 7, "ab".repeat(32));

    private static List<StoredAuditRecord> day(int count) {
        List<StoredAuditRecord> records = new ArrayList<>();
        ChainLink previous = YESTERDAY;
        for (int seq = 1; seq <= count; seq++) {
            AuditRecord record = AuditRecord.sealed(DAY, seq, Instant.parse("2026-12-03T10:00:00Z").plusSeconds(seq), ADMIN,
                    new AuditChange(AuditTypes.QUOTA_LIMITS_SET, "acme", json("{\"limit\":\"" + seq + "\"}"),
                            json("{\"limit\":\"" + (seq + 1) + "\"}")), previous);
            records.add(new StoredAuditRecord(seq, record));
            previous = record.link();
        }
        return records;
    }

    private static JsonNode json(String text) {
        try {
            return Json.parse(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ChainVerification verify(List<StoredAuditRecord> records, ChainLink expectedLast) {
        return AuditChain.verify(DAY, records, Optional.of(YESTERDAY), false, Optional.of(expectedLast));
    }

    private static ChainLink last(List<StoredAuditRecord> records) {
        return records.get(records.size() - 1).record().link();
    }

    private static AuditRecord withAfter(AuditRecord record, String after) {
        AuditChange change = new AuditChange(record.change().type(), record.change().subject(), record.change().before(), json(after));
        return new AuditRecord(record.day(), record.sequence(), record.at(), record.actor(), change, record.previous(), record.hash());
    }

    @Test
    void anIntactDay_hasNoProblems_andChecksItsLinkToTheDayBefore() {
        List<StoredAuditRecord> records = day(5);
        ChainVerification verification = verify(records, last(records));
        assertTrue(verification.intact(), verification.problems().toString());
        assertTrue(verification.predecessorChecked());
        assertEquals(5, verification.records());
        assertEquals(records.get(4).record().hash(), verification.lastHash());
    }

    @Test
    void aChangedRecord_isTampered() {
        List<StoredAuditRecord> records = day(5);
        records.set(2, new StoredAuditRecord(3, withAfter(records.get(2).record(), "{\"limit\":\"999999\"}")));
        ChainVerification verification = verify(records, last(records));
        assertEquals(List.of(ChainProblem.Kind.TAMPERED), kinds(verification));
        assertEquals(3, verification.problems().get(0).sequence());
    }

    @Test
    void aChangedRecordWithItsHashRecomputed_breaksTheLinkOfTheNext() {
        List<StoredAuditRecord> records = day(5);
        AuditRecord changed = records.get(2).record();
        AuditRecord resealed = AuditRecord.sealed(changed.day(), changed.sequence(), changed.at(), changed.actor(),
                new AuditChange(changed.change().type(), "globex", changed.change().before(), changed.change().after()),
                changed.previous());
        records.set(2, new StoredAuditRecord(3, resealed));
        ChainVerification verification = verify(records, last(records));
        assertEquals(List.of(ChainProblem.Kind.BROKEN_LINK), kinds(verification));
        assertEquals(4, verification.problems().get(0).sequence());
    }

    @Test
    void aDeletedRecord_isMissing() {
        List<StoredAuditRecord> records = day(5);
        records.remove(1);
        ChainVerification verification = verify(records, last(records));
        assertEquals(List.of(ChainProblem.Kind.MISSING), kinds(verification));
        assertEquals(2, verification.problems().get(0).sequence());
    }

    @Test
    void deletedFirstAndLastRecords_areMissing() {
        List<StoredAuditRecord> records = day(5);
        ChainLink head = last(records);
        records.remove(4);
        records.remove(0);
        ChainVerification verification = verify(records, head);
        assertEquals(List.of(ChainProblem.Kind.MISSING, ChainProblem.Kind.MISSING), kinds(verification));
        assertEquals(List.of(1L, 5L), verification.problems().stream().map(ChainProblem::sequence).toList());
    }

    @Test
    void aWholeDayDeleted_isMissingWhenTheNextDayLinksToIt() {
        List<StoredAuditRecord> records = day(3);
        ChainVerification verification = verify(List.of(), last(records));
        assertEquals(List.of(ChainProblem.Kind.MISSING), kinds(verification));
    }

    @Test
    void swappedRecords_areOutOfOrder() {
        List<StoredAuditRecord> records = day(5);
        AuditRecord second = records.get(1).record();
        AuditRecord third = records.get(2).record();
        records.set(1, new StoredAuditRecord(2, third));
        records.set(2, new StoredAuditRecord(3, second));
        ChainVerification verification = verify(records, last(records));
        assertFalse(verification.intact());
        assertEquals(List.of(2L, 3L), verification.problems().stream()
                .filter(p -> p.kind() == ChainProblem.Kind.OUT_OF_ORDER).map(ChainProblem::sequence).toList());
    }

    @Test
    void aFirstRecordNotLinkingToTheStoredPredecessor_isABrokenLink() {
        List<StoredAuditRecord> records = day(2);
        ChainVerification verification = AuditChain.verify(DAY, records,
                Optional.of(new ChainLink(YESTERDAY.day(), 7, "cd".repeat(32))), false, Optional.of(last(records)));
        assertEquals(List.of(ChainProblem.Kind.BROKEN_LINK), kinds(verification));
        assertEquals(1, verification.problems().get(0).sequence());
    }

    @Test
    void anExpiredPredecessor_isNotAProblem_butSaysTheLinkWasNotChecked() {
        List<StoredAuditRecord> records = day(2);
        ChainVerification verification = AuditChain.verify(DAY, records, Optional.empty(), true, Optional.of(last(records)));
        assertTrue(verification.intact());
        assertFalse(verification.predecessorChecked());
    }

    @Test
    void aPredecessorGoneInsideTheRetention_isABrokenLink() {
        List<StoredAuditRecord> records = day(2);
        ChainVerification verification = AuditChain.verify(DAY, records, Optional.empty(), false, Optional.of(last(records)));
        assertEquals(List.of(ChainProblem.Kind.BROKEN_LINK), kinds(verification));
    }

    @Test
    void recordsNoLaterRecordLinksTo_areABrokenLink() {
        List<StoredAuditRecord> records = day(2);
        ChainVerification verification = verify(records, ChainLink.GENESIS);
        assertEquals(List.of(ChainProblem.Kind.BROKEN_LINK), kinds(verification));
    }

    @Test
    void anUnreadableItem_isTampered() {
        List<StoredAuditRecord> records = day(3);
        records.set(1, new StoredAuditRecord(2, null));
        ChainVerification verification = verify(records, last(records));
        assertEquals(List.of(ChainProblem.Kind.TAMPERED), kinds(verification));
    }

    @Test
    void theCanonicalForm_sortsKeysAtEveryDepth_andReadsBackToItself() throws Exception {
        JsonNode node = Json.parse("{\"b\":{\"z\":1,\"a\":[{\"y\":\"1.50\",\"x\":2.50}]},\"a\":null}");
        String canonical = AuditCanonical.json(node);
        assertEquals("{\"a\":null,\"b\":{\"a\":[{\"x\":2.5,\"y\":\"1.50\"}],\"z\":1}}", canonical);
        assertEquals(canonical, AuditCanonical.json(Json.parse(canonical)));
    }

    @Test
    void theHash_coversEveryField() {
        AuditRecord record = day(1).get(0).record();
        AuditRecord otherActor = AuditRecord.sealed(record.day(), record.sequence(), record.at(),
                new AuditActor("k2", "ADMIN", "ops", "req-1"), record.change(), record.previous());
        AuditRecord otherTime = AuditRecord.sealed(record.day(), record.sequence(), record.at().plusNanos(1),
                record.actor(), record.change(), record.previous());
        AuditRecord otherLink = AuditRecord.sealed(record.day(), record.sequence(), record.at(), record.actor(),
                record.change(), ChainLink.GENESIS);
        assertEquals(64, record.hash().length());
        assertNotEquals(record.hash(), otherActor.hash());
        assertNotEquals(record.hash(), otherTime.hash());
        assertNotEquals(record.hash(), otherLink.hash());
    }

    private static List<ChainProblem.Kind> kinds(ChainVerification verification) {
        return verification.problems().stream().map(ChainProblem::kind).toList();
    }
}
