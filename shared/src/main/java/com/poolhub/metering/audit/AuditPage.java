package com.poolhub.metering.audit;

import java.util.List;
import java.util.Map;

/**
 * A page of audit records and the position the next page starts after (null when the query is
 * done). A page may hold fewer records than asked, even none, and still have a next page: each page
 * reads a bounded number of days.
 */
public record AuditPage(List<AuditRecord> records, Map<String, String> next) {
    public AuditPage {
        records = List.copyOf(records);
        next = next == null ? null : Map.copyOf(next);
    }
}
