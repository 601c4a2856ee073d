package com.poolhub.metering.audit;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One audit record as stored: its day and sequence, when it was written, who acted and what changed,
 * the link to the record before it and its own hash ({@link AuditCanonical}: SHA-256 of its canonical
 * form, which includes that link).
 */
public record AuditRecord(LocalDate day, long sequence, Instant at, AuditActor actor, AuditChange change,
                          ChainLink previous, String hash) {

    /** A new record, its hash computed from its fields. */
    public static AuditRecord sealed(LocalDate day, long sequence, Instant at, AuditActor actor, AuditChange change,
                                     ChainLink previous) {
        AuditRecord unsealed = new AuditRecord(day, sequence, at, actor, change, previous, null);
        return new AuditRecord(day, sequence, at, actor, change, previous, AuditCanonical.hash(unsealed));
    }

    /** This record's place and hash, as the next record links to it. */
    public ChainLink link() {
        return new ChainLink(day, sequence, hash);
    }
}
