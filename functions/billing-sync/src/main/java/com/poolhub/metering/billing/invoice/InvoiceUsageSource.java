package com.poolhub.metering.billing.invoice;

import com.poolhub.metering.pricing.UsageLine;
import java.time.YearMonth;
import java.util.List;
import java.util.Set;

/** Reads the hourly usage invoices are priced from. Read failures propagate; the run is retried. */
public interface InvoiceUsageSource {
    /** A tenant's HOUR windows of the month (every resource and unit). */
    List<UsageLine> hourlyUsage(String tenant, YearMonth month);

    /** Every tenant with usage in the month. */
    Set<String> tenantsWithUsage(YearMonth month);
}
