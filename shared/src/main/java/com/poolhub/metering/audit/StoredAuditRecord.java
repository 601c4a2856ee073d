package com.poolhub.metering.audit;

/**
 * A record as read from the store with the slot it was found in (the sequence its key says). A
 * record moved to another slot keeps its own sequence, so the two differ. The record is null when the
 * item no longer decodes as one.
 */
public record StoredAuditRecord(long slot, AuditRecord record) {
}
