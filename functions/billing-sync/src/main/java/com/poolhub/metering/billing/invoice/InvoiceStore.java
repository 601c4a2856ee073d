package com.poolhub.metering.billing.invoice;

import java.time.YearMonth;
import java.util.Optional;
import java.util.Set;

/** Issued invoices (immutable once stored) and which months are fully issued. */
public interface InvoiceStore {
    /** An issued invoice and whether {@code InvoiceGenerated} went out for it. */
    record Issued(Invoice invoice, boolean announced) {
    }

    Optional<Issued> find(String tenant, YearMonth month);

    /**
     * Stores an ISSUED invoice unless one exists for its tenant and month.
     *
     * @return false when one was issued before (it is never replaced)
     */
    boolean issue(Invoice invoice);

    void markAnnounced(String tenant, YearMonth month);

    /** Tenants with an issued invoice for the month. */
    Set<String> invoicedTenants(YearMonth month);

    boolean monthComplete(YearMonth month);

    void markMonthComplete(YearMonth month);
}
