package com.poolhub.metering.billing.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiException;
import com.poolhub.metering.api.ApiRequest;
import com.poolhub.metering.api.ApiResponse;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.event.CloudEventReader;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.PriceBookJson;
import com.poolhub.metering.pricing.PriceOverride;
import com.poolhub.metering.pricing.PriceOverrideStore;
import com.poolhub.metering.pricing.Rate;
import com.poolhub.metering.pricing.TenantPricing;
import com.poolhub.metering.usage.UtcTimes;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin routes of tenants' prices:
 * <ul>
 *   <li>{@code PUT /pricing/tenants/{tenant}} (admins) {@code {effectiveFrom, rates: [{resource, unit,
 *       unitRate | tiers}]}}: the tenant's own rates from an hour on, replacing an override set for the
 *       same hour. Refused with 409 when that hour's month is closed for invoicing (its invoices are
 *       issued or due), so an issued invoice never changes. Recorded in the audit trail first.</li>
 *   <li>{@code GET /pricing/tenants/{tenant}} (admins or the tenant itself): the tenant's overrides,
 *       oldest first.</li>
 * </ul>
 */
public final class PricingRoutes {
    /** The most rates one override may set. */
    static final int MAX_RATES = 50;
    private final PriceOverrideStore overrides;
    private final TenantPricing pricing;
    private final Invoicing invoicing;
    private final AuditLog audit;
    private final Clock clock;

    /** @param pricing the container's pricing, told to forget a tenant whose override changes */
    public PricingRoutes(PriceOverrideStore overrides, TenantPricing pricing, Invoicing invoicing, AuditLog audit,
                         Clock clock) {
        this.overrides = overrides;
        this.pricing = pricing;
        this.invoicing = invoicing;
        this.audit = audit;
        this.clock = clock;
    }

    /** Adds the routes to a router. */
    public ApiRouter register(ApiRouter router) {
        return router.put("/pricing/tenants/{tenant}", this::set)
                .get("/pricing/tenants/{tenant}", this::list);
    }

    ApiResponse set(ApiRequest request) {
        request.caller().requireAdmin();
        String tenant = request.pathId("tenant");
        PriceOverride override = parse(tenant, request.body());
        YearMonth month = YearMonth.from(override.effectiveFrom().atZone(ZoneOffset.UTC));
        YearMonth closed = invoicing.latestClosed(clock.instant());
        if (!month.isAfter(closed)) {
            throw ApiException.conflict("effectiveFrom is in " + month + ", a month closed for invoicing (up to "
                    + closed + "): its invoices are issued or due and keep their prices");
        }
        ObjectNode after = json(override);
        JsonNode before = overrides.overrides(tenant).stream()
                .filter(o -> o.effectiveFrom().equals(override.effectiveFrom()))
                .findFirst().<JsonNode>map(PricingRoutes::json).orElse(null);
        audit.append(request.auditActor(), new AuditChange(AuditTypes.PRICE_OVERRIDE_SET, tenant, before, after));
        overrides.put(override);
        pricing.forget(tenant);
        return ApiResponse.ok(after);
    }

    ApiResponse list(ApiRequest request) {
        String tenant = request.pathId("tenant");
        request.caller().requireTenantOrAdmin(tenant);
        ObjectNode body = Json.object();
        body.put("tenant", tenant);
        ArrayNode list = body.putArray("overrides");
        overrides.overrides(tenant).forEach(o -> list.add(json(o)));
        return ApiResponse.ok(body);
    }

    private static PriceOverride parse(String tenant, JsonNode body) {
        Instant from;
        try {
            from = CloudEventReader.time(body.path("effectiveFrom").asText());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("effectiveFrom must be an RFC 3339 time on an hour, e.g. 2026-11-15T13:00:00Z");
        }
        JsonNode rates = body.get("rates");
        if (rates == null || !rates.isArray() || rates.isEmpty() || rates.size() > MAX_RATES) {
            throw ApiException.badRequest("rates must be an array of 1 to " + MAX_RATES + " rates");
        }
        try {
            List<Rate> list = new ArrayList<>();
            for (int i = 0; i < rates.size(); i++) {
                JsonNode rate = rates.get(i);
                if (!rate.isObject()) {
                    throw new IllegalArgumentException("rates[" + i + "] must be an object");
                }
                list.add(PriceBookJson.rate(rate, from, "rates[" + i + "]"));
            }
            return new PriceOverride(tenant, from, list);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    static ObjectNode json(PriceOverride override) {
        ObjectNode node = Json.object();
        node.put("tenant", override.tenant());
        node.put("effectiveFrom", UtcTimes.format(override.effectiveFrom()));
        ArrayNode rates = node.putArray("rates");
        override.rates().forEach(rate -> rates.add(PriceBookJson.rateJson(rate)));
        return node;
    }
}
