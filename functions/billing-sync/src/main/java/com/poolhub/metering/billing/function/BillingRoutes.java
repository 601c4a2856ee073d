package com.poolhub.metering.billing.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.billing.BillingJson;
import com.poolhub.metering.billing.BillingRecordStore;
import com.poolhub.metering.billing.invoice.Invoice;
import com.poolhub.metering.billing.invoice.InvoiceJson;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.pricing.MissingRateException;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The read routes of billing, each for an admin or the tenant itself:
 * <ul>
 *   <li>{@code GET /sla/billing/usage?tenant=&from=&to=}: the tenant's usage records with periods in
 *       [from, to) (default the last 7 days) and each record's sync status, paged with {@code limit}
 *       and {@code nextToken};</li>
 *   <li>{@code GET /invoices/{tenant}/{yyyy-MM}}: the month's invoice, issued or draft.</li>
 * </ul>
 */
public final class BillingRoutes {
    static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private final BillingRecordStore records;
    private final Invoicing invoicing;
    private final Clock clock;

    public BillingRoutes(BillingRecordStore records, Invoicing invoicing, Clock clock) {
        this.records = records;
        this.invoicing = invoicing;
        this.clock = clock;
    }

    /** Adds the routes to a router. */
    public ApiRouter register(ApiRouter router) {
        return router.get("/sla/billing/usage", this::usage)
                .get("/invoices/{tenant}/{month}", this::invoice);
    }

    ApiResponse invoice(ApiRequest request) {
        String tenant = request.pathId("tenant");
        request.caller().requireTenantOrAdmin(tenant);
        String text = request.path("month");
        YearMonth month;
        try {
            if (!MONTH.matcher(text).matches()) {
                throw new DateTimeParseException("not yyyy-MM", text, 0);
            }
            month = YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest("month must be yyyy-MM, e.g. 2026-11");
        }
        Invoice invoice;
        try {
            invoice = invoicing.invoice(tenant, month)
                    .orElseThrow(() -> ApiException.notFound("no invoice for " + month + ": the month has not begun"));
        } catch (MissingRateException e) {
            throw ApiException.badRequest("no invoice for " + month + ": the price book does not price it (" + e.getMessage() + ")");
        }
        return ApiResponse.ok(InvoiceJson.invoice(invoice));
    }

    ApiResponse usage(ApiRequest request) {
        String tenant = request.caller().tenantFor(request.queryId("tenant").orElse(null));
        Instant to = request.queryInstant("to").orElseGet(clock::instant);
        Instant from = request.queryInstant("from").orElse(to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        int limit = request.limit();
        Map<String, String> after = request.nextToken().orElse(null);
        BillingRecordStore.Page page = records.tenantRecords(tenant, from, to, limit, after);
        ObjectNode body = Json.object();
        body.put("tenant", tenant);
        body.put("from", UtcTimes.format(from));
        body.put("to", UtcTimes.format(to));
        ArrayNode list = body.putArray("records");
        page.records().forEach(record -> list.add(BillingJson.record(record)));
        body.put("nextToken", request.nextTokenAt(page.next()));
        return ApiResponse.ok(body);
    }
}
