package com.poolhub.metering.billing.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.billing.BillingJson;
import com.poolhub.metering.billing.BillingRecordStore;
import com.poolhub.metering.billing.SyncRunLog;
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
 *   <li>{@code GET /invoices/{tenant}/{yyyy-MM}}: the month's invoice, issued or draft;</li>
 *   <li>{@code GET /sla/billing/runs?from=&to=} (admins): the kept sync runs with their time in
 *       [from, to) (default the last 30 days, at most 400), newest first, paged.</li>
 * </ul>
 */
public final class BillingRoutes {
    static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    /** The default and the longest range of {@code GET /sla/billing/runs}. */
    static final Duration DEFAULT_RUN_RANGE = Duration.ofDays(30);
    static final Duration MAX_RUN_RANGE = Duration.ofDays(400);
    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");
    private final BillingRecordStore records;
    private final Invoicing invoicing;
    private final SyncRunLog runs;
    private final Clock clock;

    public BillingRoutes(BillingRecordStore records, Invoicing invoicing, SyncRunLog runs, Clock clock) {
        this.records = records;
        this.runs = runs;
        this.invoicing = invoicing;
        this.clock = clock;
    }

    /** Adds the routes to a router. */
    public ApiRouter register(ApiRouter router) {
        return router.get("/sla/billing/usage", this::usage)
                .get("/invoices/{tenant}/{month}", this::invoice)
                .get("/sla/billing/runs", this::runs);
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

    ApiResponse runs(ApiRequest request) {
        request.caller().requireAdmin();
        Instant to = request.queryInstant("to").orElseGet(clock::instant);
        Instant from = request.queryInstant("from").orElse(to.minus(DEFAULT_RUN_RANGE));
        if (!from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        if (Duration.between(from, to).compareTo(MAX_RUN_RANGE) > 0) {
            throw ApiException.badRequest("from and to may be at most " + MAX_RUN_RANGE.toDays() + " days apart");
        }
        int limit = request.limit();
        SyncRunLog.Page page = runs.runs(from, to, limit, request.nextToken().orElse(null));
        ObjectNode body = Json.object();
        body.put("from", UtcTimes.format(from));
        body.put("to", UtcTimes.format(to));
        ArrayNode list = body.putArray("runs");
        for (SyncRunLog.SyncRun run : page.runs()) {
            ObjectNode entry = list.addObject().put("id", run.id()).put("trigger", run.trigger().name());
            entry.setAll(BillingJson.report(run.report()));
        }
        body.put("nextToken", request.nextTokenAt(page.next()));
        return ApiResponse.ok(body);
    }
}
