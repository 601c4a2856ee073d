package com.poolhub.metering.billing.invoice;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Monthly invoices as they stand. A month closes {@code closeDelay} after its end; until its invoice
 * is issued ({@link InvoiceIssuer}) it is a DRAFT computed on request from the usage so far. Usage that
 * arrives for a month after its invoice was issued is billed on a later invoice as adjustment lines;
 * earlier months are looked at for {@code adjustmentMonths} months (2 covers the 35-day late-arrival
 * limit).
 */
public final class Invoicing {
    private final InvoiceBuilder builder;
    private final InvoiceUsageSource usage;
    private final InvoiceStore store;
    private final Duration closeDelay;
    private final int adjustmentMonths;
    private final Clock clock;

    public Invoicing(InvoiceBuilder builder, InvoiceUsageSource usage, InvoiceStore store, Duration closeDelay,
                     int adjustmentMonths, Clock clock) {
        this.builder = builder;
        this.usage = usage;
        this.store = store;
        this.closeDelay = closeDelay;
        this.adjustmentMonths = adjustmentMonths;
        this.clock = clock;
    }

    /** How many earlier months an invoice adjusts. */
    public int adjustmentMonths() {
        return adjustmentMonths;
    }

    /** The latest month closed at {@code now}. */
    public YearMonth latestClosed(Instant now) {
        return YearMonth.from(now.minus(closeDelay).atZone(ZoneOffset.UTC)).minusMonths(1);
    }

    /**
     * The tenant's invoice for the month: the issued one, or a draft of the usage so far (also for a
     * closed month whose invoice the scheduled run has not issued yet). Empty for a month not begun.
     */
    public Optional<Invoice> invoice(String tenant, YearMonth month) {
        Instant now = clock.instant();
        if (InvoiceBuilder.start(month).isAfter(now)) {
            return Optional.empty();
        }
        Optional<InvoiceStore.Issued> issued = store.find(tenant, month);
        if (issued.isPresent()) {
            return Optional.of(issued.get().invoice());
        }
        return Optional.of(build(tenant, month, InvoiceStatus.DRAFT, now));
    }

    /** The tenant's invoice of the month as the usage and issued invoices stand now. */
    Invoice build(String tenant, YearMonth month, InvoiceStatus status, Instant now) {
        List<InvoiceBuilder.PriorMonth> priors = new ArrayList<>();
        for (int back = adjustmentMonths; back >= 1; back--) {
            YearMonth prior = month.minusMonths(back);
            Optional<InvoiceStore.Issued> issued = store.find(tenant, prior);
            if (issued.isEmpty() && !store.monthComplete(prior)) {
                continue; // not issued yet: its usage goes on its own invoice
            }
            List<InvoiceLine> billed = new ArrayList<>();
            issued.ifPresent(invoice -> addLinesFor(prior, invoice.invoice(), billed));
            for (int ahead = 1; ahead < back; ahead++) {
                store.find(tenant, prior.plusMonths(ahead)).ifPresent(next -> addLinesFor(prior, next.invoice(), billed));
            }
            priors.add(new InvoiceBuilder.PriorMonth(prior, usage.hourlyUsage(tenant, prior), billed));
        }
        return builder.invoice(tenant, month, status, usage.hourlyUsage(tenant, month), priors, now);
    }

    private static void addLinesFor(YearMonth usageMonth, Invoice invoice, List<InvoiceLine> into) {
        invoice.lines().stream().filter(line -> line.usageMonth().equals(usageMonth)).forEach(into::add);
    }
}
