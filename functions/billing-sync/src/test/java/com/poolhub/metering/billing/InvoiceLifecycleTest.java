package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.billing.invoice.Invoice;
import com.poolhub.metering.billing.invoice.InvoiceIssuer;
import com.poolhub.metering.billing.invoice.InvoiceLine;
import com.poolhub.metering.billing.invoice.InvoiceStatus;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.billing.invoice.TestPriceBook;
import com.poolhub.metering.local.BusSubscription;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Invoices on the local DynamoDB emulator: draft, issue after close, immutability, late usage as adjustments, events. */
class InvoiceLifecycleTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    private final BillingFixture rig = new BillingFixture(Instant.parse("2026-11-01T12:00:00Z"));
    private final Invoicing invoicing = rig.invoicing();
    private final InvoiceIssuer issuer = rig.issuer(invoicing);

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void invoice_isDraftUntilTheMonthClosesThenIssuedOnceAndNeverChanged() {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-10-01T00:00:00Z"), "3600");
        rig.hours.put("acme", Resource.INFERENCE, UsageUnit.TOKENS, Instant.parse("2026-10-02T00:00:00Z"), "1300");
        rig.hours.put("beta", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-10-31T23:00:00Z"), "10");

        Invoice draft = invoicing.invoice("acme", OCTOBER).orElseThrow();
        assertEquals(InvoiceStatus.DRAFT, draft.status());
        assertEquals(new BigDecimal("5.330000"), draft.totalUsd());
        assertTrue(issuer.issueClosedMonths().stream().noneMatch(r -> r.month().equals(OCTOBER)),
                "October closes a day after its end");

        rig.clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        rig.eventBridge.failNextEntries(5);
        InvoiceIssuer.IssueReport first = only(issuer.issueClosedMonths());
        assertEquals(OCTOBER, first.month());
        assertEquals(2, first.issued());
        assertEquals(1, first.announced(), "one InvoiceGenerated could not be published");
        assertFalse(first.monthComplete());
        InvoiceIssuer.IssueReport second = only(issuer.issueClosedMonths());
        assertEquals(0, second.issued());
        assertEquals(1, second.announced());
        assertTrue(second.monthComplete());
        assertEquals(List.of(), issuer.issueClosedMonths(), "every closed month is complete");
        List<BusSubscription.Event> events = rig.published.received(InvoiceIssuer.GENERATED_EVENT);
        assertEquals(2, events.size());
        JsonNode acmeEvent = events.stream().map(BusSubscription.Event::detail)
                .filter(d -> d.get("tenant").asText().equals("acme")).findFirst().orElseThrow();
        assertEquals("5.330000", acmeEvent.get("totalUsd").asText());
        assertEquals("21.320000", acmeEvent.get("totalTokens").asText());
        assertEquals("acme/2026-10", acmeEvent.get("invoiceId").asText());

        Invoice issued = invoicing.invoice("acme", OCTOBER).orElseThrow();
        assertEquals(InvoiceStatus.ISSUED, issued.status());
        assertEquals(draft.lines(), issued.lines());
        TestPriceBook.assertReproducible(issued);

        // late October usage after issue: October stays as issued; November carries the difference
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-10-20T05:00:00Z"), "100");
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-11-03T00:00:00Z"), "1000");
        assertEquals(issued, invoicing.invoice("acme", OCTOBER).orElseThrow());
        Invoice novemberDraft = invoicing.invoice("acme", NOVEMBER).orElseThrow();
        assertEquals(new BigDecimal("0.090000"), novemberDraft.adjustmentsUsd());

        rig.clock.set(Instant.parse("2026-12-02T00:00:00Z"));
        InvoiceIssuer.IssueReport december = only(issuer.issueClosedMonths());
        assertEquals(NOVEMBER, december.month());
        assertEquals(1, december.issued());
        assertEquals(1, december.skippedEmpty(), "beta has nothing to bill for November");
        Invoice november = invoicing.invoice("acme", NOVEMBER).orElseThrow();
        assertEquals(InvoiceStatus.ISSUED, november.status());
        InvoiceLine adjustment = november.lines().stream().filter(l -> l.kind() == InvoiceLine.Kind.ADJUSTMENT)
                .findFirst().orElseThrow();
        assertEquals(OCTOBER, adjustment.usageMonth());
        assertEquals(0, new BigDecimal("100").compareTo(adjustment.quantity()));
        assertEquals(TestPriceBook.GPU_CHANGE, adjustment.rateEffectiveFrom());
        assertEquals(new BigDecimal("0.990000"), november.totalUsd());
        TestPriceBook.assertReproducible(november);

        rig.clock.set(Instant.parse("2027-01-02T00:00:00Z"));
        assertEquals(0, only(issuer.issueClosedMonths()).issued(), "no adjustment is billed twice");
    }

    @Test
    void invoice_forLateUsageOfATenantWithoutAnInvoiceForThatMonth_billsItAsAnAdjustmentNextMonth() {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-10-01T00:00:00Z"), "3600");
        rig.clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        assertEquals(1, last(issuer.issueClosedMonths(), OCTOBER).issued());

        rig.hours.put("gamma", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-10-31T10:00:00Z"), "1000");
        rig.clock.set(Instant.parse("2026-12-02T00:00:00Z"));
        InvoiceIssuer.IssueReport november = only(issuer.issueClosedMonths());

        assertEquals(1, november.issued(), "gamma's November invoice carries its late October usage");
        Invoice gamma = invoicing.invoice("gamma", NOVEMBER).orElseThrow();
        assertEquals(1, gamma.lines().size());
        assertEquals(InvoiceLine.Kind.ADJUSTMENT, gamma.lines().get(0).kind());
        assertEquals(new BigDecimal("0.900000"), gamma.totalUsd());
    }

    /** The report of the latest month worked on, which must be {@code month}; earlier (empty) months may precede it. */
    private static InvoiceIssuer.IssueReport last(List<InvoiceIssuer.IssueReport> reports, YearMonth month) {
        assertEquals(month, reports.get(reports.size() - 1).month(), reports.toString());
        return reports.get(reports.size() - 1);
    }

    private static InvoiceIssuer.IssueReport only(List<InvoiceIssuer.IssueReport> reports) {
        assertEquals(1, reports.size(), reports.toString());
        return reports.get(0);
    }

    @Test
    void invoice_forAMonthNotBegun_isAbsent() {
        assertTrue(invoicing.invoice("acme", YearMonth.of(2026, 12)).isEmpty());
    }
}
