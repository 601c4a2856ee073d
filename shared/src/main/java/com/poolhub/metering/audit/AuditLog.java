package com.poolhub.metering.audit;

/**
 * Where audited changes are written, append only. A caller appends before it applies the change it
 * describes, so no change happens without its record: when the append fails, the change is not made.
 */
public interface AuditLog {
    /**
     * Appends one record at the head of the chain (its day is the current UTC day) and returns it
     * with its place and hash. Concurrent appends are serialised: each links to the one before.
     *
     * @throws AuditUnavailableException when the record could not be written
     */
    AuditRecord append(AuditActor actor, AuditChange change);
}
