package com.poolhub.metering.audit;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Verifies one day of the audit chain from what a store holds (pure: the reads are the caller's,
 * {@link AuditChainCheck}). A record changed in place no longer gives its hash; a deleted record
 * leaves a gap in the sequence, or, at the end of a day, a link from the next record (or the chain's
 * head) that finds nothing; a moved record sits in a slot that is not its sequence; a replaced or
 * inserted record breaks the link of the record after it.
 */
public final class AuditChain {
    private AuditChain() {
    }

    /**
     * @param records     the day's records in slot order, as read
     * @param predecessor the link of the record the day's first record names as its predecessor, as
     *                    stored (empty when there is none)
     * @param predecessorMayHaveExpired whether that record is old enough for its TTL to have removed
     *                    it: then its absence is not damage, only a link that cannot be checked
     * @param expectedLast what the rest of the chain says the day's last record is: the head of the
     *                    chain when it lies in this day, or the predecessor named by the first record
     *                    after this day; {@link ChainLink#GENESIS} when nothing does (no head, or the
     *                    chain after the day skips it); empty when unknown
     */
    public static ChainVerification verify(LocalDate day, List<StoredAuditRecord> records,
                                           Optional<ChainLink> predecessor, boolean predecessorMayHaveExpired,
                                           Optional<ChainLink> expectedLast) {
        List<ChainProblem> problems = new ArrayList<>();
        StoredAuditRecord before = null;
        boolean predecessorChecked = false;
        for (StoredAuditRecord stored : records) {
            if (stored.record() == null) {
                problems.add(new ChainProblem(ChainProblem.Kind.TAMPERED, stored.slot(),
                        "the item in slot " + stored.slot() + " no longer holds a readable record"));
                before = stored;
                continue;
            }
            checkRecord(day, stored, problems);
            if (before == null) {
                predecessorChecked = checkFirst(day, stored, predecessor, predecessorMayHaveExpired, problems);
            } else {
                checkFollows(before, stored, problems);
            }
            before = stored;
        }
        expectedLast.ifPresent(last -> checkEnd(day, records, last, problems));
        String first = records.isEmpty() || records.get(0).record() == null ? null : records.get(0).record().hash();
        String last = before == null || before.record() == null ? null : before.record().hash();
        return new ChainVerification(day, records.size(), first, last, predecessorChecked || records.isEmpty(), problems);
    }

    private static void checkRecord(LocalDate day, StoredAuditRecord stored, List<ChainProblem> problems) {
        AuditRecord record = stored.record();
        if (!day.equals(record.day())) {
            problems.add(new ChainProblem(ChainProblem.Kind.TAMPERED, stored.slot(),
                    "the record in slot " + stored.slot() + " says it was written on " + record.day()));
        } else if (!AuditCanonical.hash(record).equals(record.hash())) {
            problems.add(new ChainProblem(ChainProblem.Kind.TAMPERED, stored.slot(),
                    "record " + stored.slot() + " no longer gives its hash: its fields were changed"));
        }
        if (record.sequence() != stored.slot()) {
            problems.add(new ChainProblem(ChainProblem.Kind.OUT_OF_ORDER, stored.slot(),
                    "slot " + stored.slot() + " holds record " + record.sequence()));
        }
    }

    /** True when the link into the day could be checked against the stored predecessor. */
    private static boolean checkFirst(LocalDate day, StoredAuditRecord stored, Optional<ChainLink> predecessor,
                                      boolean predecessorMayHaveExpired, List<ChainProblem> problems) {
        if (stored.slot() > 1) {
            problems.add(missing(1, stored.slot() - 1));
            return false;
        }
        ChainLink claimed = stored.record().previous();
        if (claimed.isGenesis()) {
            return true;
        }
        if (!claimed.day().isBefore(day)) {
            problems.add(new ChainProblem(ChainProblem.Kind.BROKEN_LINK, stored.slot(),
                    "the day's first record links to " + claimed.day() + " #" + claimed.sequence() + ", not to an earlier day"));
            return false;
        }
        if (predecessor.isEmpty()) {
            if (!predecessorMayHaveExpired) {
                problems.add(new ChainProblem(ChainProblem.Kind.BROKEN_LINK, stored.slot(),
                        "the day's first record links to " + claimed.day() + " #" + claimed.sequence()
                                + ", which is gone although it is inside the retention"));
            }
            return !predecessorMayHaveExpired;
        }
        if (!predecessor.get().equals(claimed)) {
            problems.add(new ChainProblem(ChainProblem.Kind.BROKEN_LINK, stored.slot(),
                    "the day's first record links to " + claimed.day() + " #" + claimed.sequence() + " with hash "
                            + claimed.hash() + ", but that record's hash is " + predecessor.get().hash()));
        }
        return true;
    }

    private static void checkFollows(StoredAuditRecord before, StoredAuditRecord stored, List<ChainProblem> problems) {
        if (stored.slot() > before.slot() + 1) {
            problems.add(missing(before.slot() + 1, stored.slot() - 1));
        } else if (before.record() != null && !stored.record().previous().equals(before.record().link())) {
            problems.add(new ChainProblem(ChainProblem.Kind.BROKEN_LINK, stored.slot(),
                    "record " + stored.slot() + " does not link to the record in slot " + before.slot()));
        }
    }

    private static void checkEnd(LocalDate day, List<StoredAuditRecord> records, ChainLink last, List<ChainProblem> problems) {
        if (!day.equals(last.day())) {
            if (!records.isEmpty() && (last.isGenesis() || last.day().isBefore(day))) {
                StoredAuditRecord end = records.get(records.size() - 1);
                problems.add(new ChainProblem(ChainProblem.Kind.BROKEN_LINK, end.slot(),
                        "no later record and not the chain's head links to this day's records"));
            }
            return;
        }
        if (records.isEmpty()) {
            problems.add(missing(1, last.sequence()));
            return;
        }
        StoredAuditRecord end = records.get(records.size() - 1);
        if (last.sequence() > end.slot()) {
            problems.add(missing(end.slot() + 1, last.sequence()));
        } else if (last.sequence() < end.slot() || end.record() != null && !last.hash().equals(end.record().hash())) {
            problems.add(new ChainProblem(ChainProblem.Kind.BROKEN_LINK, end.slot(),
                    "the chain after this day links to #" + last.sequence() + " with hash " + last.hash()
                            + ", which is not the day's last record"));
        }
    }

    private static ChainProblem missing(long from, long to) {
        String which = from == to ? "record " + from + " is" : "records " + from + " to " + to + " are";
        return new ChainProblem(ChainProblem.Kind.MISSING, from, which + " missing");
    }
}
