package com.poolhub.metering.billing.invoice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.events.DomainEvent;
import com.poolhub.metering.events.EventPublisher;
import com.poolhub.metering.events.PublishException;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.Money;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues closed months' invoices, run by the billing schedule. Months are taken oldest first from
 * the latest closed month back over the months invoices adjust, skipping those already complete and
 * stopping at one that could not be completed. In a month, every tenant with usage in it or in the
 * months it adjusts gets its invoice stored as ISSUED (once; an issued invoice is never replaced)
 * unless it would have no line. {@code InvoiceGenerated} is published for each, and again on the next
 * run if publishing failed (at least once; subscribers deduplicate on {@code invoiceId}). A month is
 * marked complete when all its invoices are issued and announced, so later runs cost one read.
 * Each invoice's audit record is written before the invoice; when it cannot be, the run stops there
 * and the next run issues the rest.
 */
public final class InvoiceIssuer {
    public static final String GENERATED_EVENT = "InvoiceGenerated";
    /** The principal of the audit records of issued invoices: the schedule's function. */
    static final String ISSUER = "BillingSyncFunction";
    private static final Logger LOG = LoggerFactory.getLogger(InvoiceIssuer.class);

    private final Invoicing invoicing;
    private final InvoiceUsageSource usage;
    private final InvoiceStore store;
    private final EventPublisher events;
    private final Clock clock;
    private final AuditLog audit;

    /** @param audit where each invoice is recorded before it is stored (INVOICE_ISSUED) */
    public InvoiceIssuer(Invoicing invoicing, InvoiceUsageSource usage, InvoiceStore store, EventPublisher events,
                         Clock clock, AuditLog audit) {
        this.invoicing = invoicing;
        this.usage = usage;
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.audit = audit;
    }

    /** What one issuing run did. */
    public record IssueReport(YearMonth month, int issued, int announced, int skippedEmpty, boolean monthComplete) {
    }


    /** Issues what is not issued yet of the closed months; one report per month worked on. */
    public List<IssueReport> issueClosedMonths() {
        Instant now = clock.instant();
        YearMonth latest = invoicing.latestClosed(now);
        List<IssueReport> reports = new ArrayList<>();
        for (YearMonth month = latest.minusMonths(invoicing.adjustmentMonths()); !month.isAfter(latest);
                month = month.plusMonths(1)) {
            if (store.monthComplete(month)) {
                continue;
            }
            IssueReport report = issue(month, now);
            reports.add(report);
            if (!report.monthComplete()) {
                break;
            }
        }
        return reports;
    }

    private IssueReport issue(YearMonth month, Instant now) {
        Set<String> tenants = new TreeSet<>();
        for (int back = 0; back <= invoicing.adjustmentMonths(); back++) {
            tenants.addAll(usage.tenantsWithUsage(month.minusMonths(back)));
            tenants.addAll(store.invoicedTenants(month.minusMonths(back)));
        }
        int issued = 0;
        int announced = 0;
        int empty = 0;
        boolean complete = true;
        for (String tenant : tenants) {
            Optional<InvoiceStore.Issued> existing = store.find(tenant, month);
            Invoice invoice;
            if (existing.isPresent()) {
                if (existing.get().announced()) {
                    continue;
                }
                invoice = existing.get().invoice();
            } else {
                invoice = invoicing.build(tenant, month, InvoiceStatus.ISSUED, now);
                if (invoice.lines().isEmpty()) {
                    empty++;
                    continue;
                }
                audit.append(AuditActor.system(ISSUER), new AuditChange(AuditTypes.INVOICE_ISSUED, tenant + "/" + month,
                        null, Json.object().put("tenant", tenant).put("month", month.toString())
                                .put("status", invoice.status().name()).put("lines", invoice.lines().size())
                                .put("totalUsd", invoice.totalUsd().toPlainString())
                                .put("totalTokens", invoice.totalTokens().toPlainString())));
                if (store.issue(invoice)) {
                    issued++;
                } else {
                    invoice = store.find(tenant, month).orElseThrow().invoice();
                }
            }
            if (announce(invoice)) {
                announced++;
            } else {
                complete = false;
            }
        }
        if (complete) {
            store.markMonthComplete(month);
        }
        return new IssueReport(month, issued, announced, empty, complete);
    }

    private boolean announce(Invoice invoice) {
        try {
            events.publish(List.of(new DomainEvent(GENERATED_EVENT, generatedDetail(invoice), clock.instant())));
        } catch (PublishException e) {
            LOG.error("{} for {} {} could not be published: {}", GENERATED_EVENT, invoice.tenant(), invoice.month(),
                    e.getMessage());
            return false;
        }
        store.markAnnounced(invoice.tenant(), invoice.month());
        return true;
    }

    static ObjectNode generatedDetail(Invoice invoice) {
        ObjectNode detail = Json.object();
        detail.put("invoiceId", invoice.tenant() + "/" + invoice.month());
        detail.put("tenant", invoice.tenant());
        detail.put("month", invoice.month().toString());
        detail.put("status", invoice.status().name());
        detail.put("currency", "USD");
        detail.put("totalUsd", Money.text(invoice.totalUsd()));
        detail.put("adjustmentsUsd", Money.text(invoice.adjustmentsUsd()));
        detail.put("totalTokens", Money.text(invoice.totalTokens()));
        detail.put("usdPerToken", invoice.tokenPrice().usdPerToken().toPlainString());
        detail.put("lines", invoice.lines().size());
        return detail;
    }
}
