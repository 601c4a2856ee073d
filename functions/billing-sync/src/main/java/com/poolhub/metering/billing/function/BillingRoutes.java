package com.poolhub.metering.billing.function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.api.PageToken;
import com.poolhub.metering.billing.BillingJson;
import com.poolhub.metering.billing.BillingRecordStore;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The read routes of billing: {@code GET /sla/billing/usage} (admin, or the tenant itself): a
 * tenant's usage records with periods in [from, to) (default the last 7 days) and each record's sync
 * status, paged with {@code limit} and {@code nextToken}.
 */
public final class BillingRoutes {
    static final Duration DEFAULT_RANGE = Duration.ofDays(7);
    private final BillingRecordStore records;
    private final Clock clock;

    public BillingRoutes(BillingRecordStore records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /** Adds the routes to a router. */
    public ApiRouter register(ApiRouter router) {
        return router.get("/sla/billing/usage", this::usage);
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
        BillingRecordStore.Page page;
        try {
            page = records.tenantRecords(tenant, from, to, limit, after);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("nextToken does not belong to this query");
        }
        ObjectNode body = Json.object();
        body.put("tenant", tenant);
        body.put("from", UtcTimes.format(from));
        body.put("to", UtcTimes.format(to));
        ArrayNode list = body.putArray("records");
        page.records().forEach(record -> list.add(BillingJson.record(record)));
        body.put("nextToken", PageToken.encode(page.next()));
        return ApiResponse.ok(body);
    }
}
