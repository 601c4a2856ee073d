package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.StoredAuditRecord;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.pricing.DynamoPriceOverrideStore;
import com.poolhub.metering.billing.function.BillingApiFunction;
import com.poolhub.metering.billing.function.BillingRoutes;
import com.poolhub.metering.billing.function.BillingWiring;
import com.poolhub.metering.billing.function.InvoiceSettings;
import com.poolhub.metering.billing.function.PricingRoutes;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.billing.invoice.TestPriceBook;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.pricing.TenantPricing;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code PUT|GET /pricing/tenants/{tenant}} on local tables: an override from 05:00 on 10 November
 * prices the hours from it at its rate and the hours before at the book's (0.0009 since mid-October),
 * one invoice line per rate version rounded once; it is audited before it is stored, only admins set
 * it, it must start on an hour, and a month closed for invoicing keeps its prices (409).
 */
class PricingRoutesTest {
    private static final String EVENTS = "../../events/";
    private static final Instant OVERRIDE_FROM = Instant.parse("2026-11-10T05:00:00Z");
    private static final BigDecimal BOOK_RATE = new BigDecimal("0.0009");
    private static final BigDecimal OVERRIDE_RATE = new BigDecimal("0.0005");

    private final BillingFixture rig = new BillingFixture(Instant.parse("2026-11-22T12:00:00Z"));
    private final InvoiceSettings settings = new InvoiceSettings(Duration.ofHours(24), 2, TestPriceBook.book(), Duration.ofSeconds(60));
    private final TenantPricing pricing = BillingWiring.pricing(settings, rig.dynamo, rig.tables.get(Table.BILLING), rig.clock);
    private final Invoicing invoicing = BillingWiring.invoicing(settings, pricing, rig.dynamo, rig.tables.get(Table.USAGE),
            rig.tables.get(Table.BILLING), rig.clock);
    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api = ConformingApi.of(
            new BillingApiFunction(new ApiRouter(), new BillingRoutes(rig.store, invoicing, rig.runs, rig.clock),
                    new PricingRoutes(new DynamoPriceOverrideStore(rig.dynamo, rig.tables.get(Table.BILLING)), pricing,
                            invoicing, rig.audit, rig.clock)));

    @AfterEach
    void close() {
        rig.close();
    }

    private APIGatewayProxyResponseEvent put(String body, String role, String principal) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-put-pricing-tenant.json");
        event.setBody(body);
        event.getRequestContext().setAuthorizer(new HashMap<>(Map.of("role", role, "principal", principal)));
        return api.handleRequest(event, null);
    }

    private APIGatewayProxyResponseEvent get(String file, String role, String principal) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + file);
        event.getRequestContext().setAuthorizer(new HashMap<>(Map.of("role", role, "principal", principal)));
        return api.handleRequest(event, null);
    }

    private static String gpuOverride(String from, String rate) {
        return "{\"effectiveFrom\":\"" + from + "\",\"rates\":[{\"resource\":\"GPU\",\"unit\":\"compute_seconds\",\"unitRate\":\"" + rate + "\"}]}";
    }

    private static JsonNode body(APIGatewayProxyResponseEvent response) throws Exception {
        return Json.parse(response.getBody());
    }

    private APIGatewayProxyResponseEvent novemberInvoice() {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-invoice.json");
        event.setPath("/invoices/acme/2026-11");
        event.setPathParameters(Map.of("tenant", "acme", "month", "2026-11"));
        return api.handleRequest(event, null);
    }

    private static BigDecimal line(String seconds, BigDecimal rate) {
        return new BigDecimal(seconds).multiply(rate).setScale(6, RoundingMode.HALF_EVEN);
    }

    @Test
    void anOverrideFromMidMonth_pricesTheHoursFromIt_andTheEarlierOnesAtTheBooksRate() throws Exception {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-11-05T10:00:00Z"), "3600.1234");
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-11-10T04:00:00Z"), "1000.5555");
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, OVERRIDE_FROM, "2000.7777");
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-11-21T23:00:00Z"), "500.0001");
        BigDecimal before = new BigDecimal(body(novemberInvoice()).get("totalUsd").asText());
        assertEquals(line("7101.4567", BOOK_RATE), before);

        APIGatewayProxyResponseEvent set = put(gpuOverride("2026-11-10T05:00:00Z", "0.0005"), "ADMIN", "ops");

        assertEquals(200, set.getStatusCode(), set.getBody());
        assertEquals("0.0005", body(set).get("rates").get(0).get("unitRate").asText());
        JsonNode invoice = body(novemberInvoice());
        JsonNode lines = invoice.get("lines");
        assertEquals(2, lines.size(), lines.toString());
        assertEquals("2026-10-15T00:00:00Z", lines.get(0).get("rateEffectiveFrom").asText());
        assertEquals("4600.6789", new BigDecimal(lines.get(0).get("quantity").asText()).stripTrailingZeros().toPlainString());
        assertEquals(line("4600.6789", BOOK_RATE).toPlainString(), lines.get(0).get("costUsd").asText());
        assertEquals("2026-11-10T05:00:00Z", lines.get(1).get("rateEffectiveFrom").asText());
        assertEquals(0, OVERRIDE_RATE.compareTo(new BigDecimal(lines.get(1).get("unitRate").asText())));
        assertEquals(line("2500.7778", OVERRIDE_RATE).toPlainString(), lines.get(1).get("costUsd").asText());
        assertEquals(line("4600.6789", BOOK_RATE).add(line("2500.7778", OVERRIDE_RATE)).toPlainString(),
                invoice.get("totalUsd").asText());
    }

    @Test
    void settingAnOverride_isAuditedWithWhatItReplaces_andTheTenantSeesItsOwn() throws Exception {
        assertEquals(200, put(gpuOverride("2026-11-10T05:00:00Z", "0.0005"), "ADMIN", "ops").getStatusCode());
        assertEquals(200, put(gpuOverride("2026-11-10T05:00:00Z", "0.0006"), "ADMIN", "ops").getStatusCode());

        List<AuditRecord> records = rig.audit.day(LocalDate.parse("2026-11-22")).stream().map(StoredAuditRecord::record).toList();
        assertEquals(2, records.size());
        assertEquals(AuditTypes.PRICE_OVERRIDE_SET, records.get(1).change().type());
        assertEquals("acme", records.get(1).change().subject());
        assertEquals("0.0005", records.get(1).change().before().get("rates").get(0).get("unitRate").asText());
        assertEquals("0.0006", records.get(1).change().after().get("rates").get(0).get("unitRate").asText());
        assertTrue(records.get(0).change().before() == null || records.get(0).change().before().isNull());

        APIGatewayProxyResponseEvent own = get("billing-api-get-pricing-tenant.json", "TENANT", "acme");
        assertEquals(200, own.getStatusCode(), own.getBody());
        JsonNode overrides = body(own).get("overrides");
        assertEquals(1, overrides.size());
        assertEquals("0.0006", overrides.get(0).get("rates").get(0).get("unitRate").asText());
        assertEquals(403, get("billing-api-get-pricing-tenant.json", "TENANT", "beta").getStatusCode());
    }

    @Test
    void onlyAdmins_setOverrides_onAnHour_ofAMonthNotClosed() throws Exception {
        assertEquals(403, put(gpuOverride("2026-11-10T05:00:00Z", "0.0005"), "TENANT", "acme").getStatusCode());
        assertEquals(400, put(gpuOverride("2026-11-10T05:30:00Z", "0.0005"), "ADMIN", "ops").getStatusCode());
        assertEquals(400, put(gpuOverride("2026-11-10T05:00:00Z", "-0.1"), "ADMIN", "ops").getStatusCode());
        assertEquals(400, put("{\"effectiveFrom\":\"2026-11-10T05:00:00Z\",\"rates\":[{\"resource\":\"GPU\",\"unit\":\"gb\",\"unitRate\":\"1\"}]}",
                "ADMIN", "ops").getStatusCode());
        assertEquals(400, put("{\"effectiveFrom\":\"2026-11-10T05:00:00Z\",\"rates\":[]}", "ADMIN", "ops").getStatusCode());
        APIGatewayProxyResponseEvent closed = put(gpuOverride("2026-10-20T00:00:00Z", "0.0005"), "ADMIN", "ops");
        assertEquals(409, closed.getStatusCode(), closed.getBody());
        assertEquals("CONFLICT", body(closed).get("error").get("code").asText());

        assertEquals(0, body(get("billing-api-get-pricing-tenant.json", "ADMIN", "ops")).get("overrides").size());
        assertTrue(rig.audit.day(LocalDate.parse("2026-11-22")).isEmpty());
    }
}
