package com.poolhub.metering.audit;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the audit chain: pages of records for the API, and what verifying a day needs. */
public interface AuditReader {
    /** A page of the records matching the query, continuing after {@code after} (a position of an earlier page) when given. */
    AuditPage page(AuditQuery query, Optional<Map<String, String>> after, int limit);

    /** Every record of a day, in slot order. */
    List<StoredAuditRecord> day(LocalDate day);

    /** The link of the record stored in that slot (its hash as stored), if there is one. */
    Optional<ChainLink> stored(LocalDate day, long slot);

    /** The chain's head: the last record appended, as the chain's head item names it. */
    Optional<ChainLink> head();

    /** The first record of the first day after {@code day}, up to {@code until} inclusive, that holds any. */
    Optional<AuditRecord> firstAfter(LocalDate day, LocalDate until);
}
