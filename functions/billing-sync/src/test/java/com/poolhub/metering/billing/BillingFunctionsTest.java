package com.poolhub.metering.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.poolhub.metering.api.ApiRouter;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.audit.StoredAuditRecord;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.api.PageScope;
import com.poolhub.metering.api.PageToken;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.billing.function.BillingApiFunction;
import com.poolhub.metering.billing.function.BillingRoutes;
import com.poolhub.metering.billing.function.BillingSyncFunction;
import com.poolhub.metering.billing.invoice.InvoiceIssuer;
import com.poolhub.metering.billing.invoice.Invoicing;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.metrics.EmfMetrics;
import com.poolhub.metering.usage.Resource;
import com.poolhub.metering.usage.UsageUnit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The two handlers fed the sample events under {@code events/}, as {@code sam local invoke} would. */
class BillingFunctionsTest {
    private static final String EVENTS = "../../events/";

    private final BillingFixture rig = new BillingFixture(Instant.parse("2026-11-22T13:00:00Z"));
    private final Invoicing invoicing = rig.invoicing();
    private final InvoiceIssuer issuer = rig.issuer(invoicing);
    private final ByteArrayOutputStream emf = new ByteArrayOutputStream();
    private final BillingSyncFunction syncFunction = new BillingSyncFunction(rig.sync(), issuer, rig.runs,
            () -> new EmfMetrics("PoolHub", rig.clock, new PrintStream(emf, true, StandardCharsets.UTF_8))
                    .dimension("Function", "BillingSync"), rig.audit, rig.clock);
    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> apiFunction = ConformingApi.of(new BillingApiFunction(new ApiRouter(),
            new BillingRoutes(rig.store, invoicing, rig.runs, rig.clock)));

    @AfterEach
    void close() {
        rig.close();
    }

    private void writeUsage() {
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-11-22T10:00:00Z"), "3600");
        rig.hours.put("acme", Resource.INFERENCE, UsageUnit.REQUESTS, Instant.parse("2026-11-22T11:00:00Z"), "42");
        rig.hours.put("acme", Resource.GPU, UsageUnit.COMPUTE_SECONDS, Instant.parse("2026-10-05T10:00:00Z"), "3600");
    }

    private JsonNode invokeSync(byte[] event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        syncFunction.handleRequest(new ByteArrayInputStream(event), out, null);
        JsonNode answer = Json.parse(out.toString(StandardCharsets.UTF_8));
        JsonNode request = Json.parse(new String(event, StandardCharsets.UTF_8));
        if (request.hasNonNull("httpMethod")) {
            Map<String, String> headers = new java.util.HashMap<>();
            answer.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
            ConformingApi.assertConforms(request.get("httpMethod").asText(), request.path("path").asText(),
                    answer.path("statusCode").asInt(), headers, answer.path("body").asText(null));
        }
        return answer;
    }

    private static byte[] file(String name) throws Exception {
        return Files.readAllBytes(Path.of(EVENTS + name));
    }

    private static JsonNode body(APIGatewayProxyResponseEvent response) throws Exception {
        return Json.parse(response.getBody());
    }

    @Test
    void scheduledEvent_syncsClosedHoursIssuesClosedMonthsAndWritesMetrics() throws Exception {
        writeUsage();
        ScheduledEvent scheduled = EventLoader.loadScheduledEvent(EVENTS + "billing-sync-schedule.json");
        assertEquals("Scheduled Event", scheduled.getDetailType());

        JsonNode answer = invokeSync(file("billing-sync-schedule.json"));

        // the October hour is billed too: billing follows every unbilled hour total, however old
        assertEquals(3, answer.get("sync").get("synced").asInt());
        assertEquals("2026-11-22T12:00:00Z", answer.get("sync").get("watermark").asText());
        JsonNode october = answer.get("invoices").get(answer.get("invoices").size() - 1);
        assertEquals("2026-10", october.get("month").asText());
        assertEquals(1, october.get("issued").asInt());
        assertEquals(3, rig.coordinator.ledger().size());
        String metrics = emf.toString(StandardCharsets.UTF_8);
        assertTrue(metrics.contains("\"RecordsSynced\":3.0"), metrics);
        assertTrue(metrics.contains("\"WatermarkLag\":3600.0"), metrics);
        assertTrue(metrics.contains("\"InvoicesIssued\":1.0"), metrics);
    }

    @Test
    void postSync_asAdmin_runsTheSyncAndAnswersCountsAndWatermark() throws Exception {
        writeUsage();
        APIGatewayProxyRequestEvent loaded = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-post-sync.json");
        assertEquals("ADMIN", loaded.getRequestContext().getAuthorizer().get("role"));

        JsonNode response = invokeSync(file("billing-api-post-sync.json"));

        assertEquals(200, response.get("statusCode").asInt());
        JsonNode body = Json.parse(response.get("body").asText());
        assertEquals(3, body.get("synced").asInt());
        assertEquals(3, body.get("recordsCreated").asInt());
        assertEquals("2026-11-22T12:00:00Z", body.get("watermark").asText());
    }

    @Test
    void aScheduledRun_isAudited_theSyncFirst_thenEachInvoiceBeforeItIsStored() throws Exception {
        writeUsage();
        invokeSync(file("billing-sync-schedule.json"));

        List<AuditRecord> records = rig.audit.day(LocalDate.parse("2026-11-22")).stream().map(StoredAuditRecord::record).toList();
        assertEquals(AuditTypes.BILLING_SYNC_RUN, records.get(0).change().type());
        assertEquals(AuditActor.SYSTEM, records.get(0).actor().role());
        assertTrue(records.get(0).change().before().get("watermark").isNull());
        assertEquals("2026-11-22T12:00:00Z", records.get(0).change().after().get("billsThrough").asText());
        assertEquals("SCHEDULE", records.get(0).change().after().get("trigger").asText());
        List<AuditRecord> invoices = records.stream().filter(r -> r.change().type().equals(AuditTypes.INVOICE_ISSUED)).toList();
        assertEquals(1, invoices.size(), records.toString());
        assertTrue(invoices.get(0).change().subject().endsWith("/2026-10"), invoices.get(0).change().subject());
    }

    @Test
    void postSync_whenTheAuditRecordCannotBeWritten_returns503AndSendsNothing() throws Exception {
        writeUsage();
        BillingSyncFunction unaudited = new BillingSyncFunction(rig.sync(), issuer, rig.runs,
                () -> new EmfMetrics("PoolHub", rig.clock, new PrintStream(emf, true, StandardCharsets.UTF_8)),
                (actor, change) -> {
                    throw new AuditUnavailableException("audit table unavailable", null);
                }, rig.clock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        unaudited.handleRequest(new ByteArrayInputStream(file("billing-api-post-sync.json")), out, null);

        assertEquals(503, Json.parse(out.toString(StandardCharsets.UTF_8)).get("statusCode").asInt());
        assertTrue(rig.coordinator.http().requests().isEmpty());
    }

    @Test
    void postSync_asTenant_returns403AndSendsNothing() throws Exception {
        writeUsage();
        ObjectNode event = (ObjectNode) Json.parse(new String(file("billing-api-post-sync.json"), StandardCharsets.UTF_8));
        ((ObjectNode) event.get("requestContext").get("authorizer")).put("role", "TENANT").put("principal", "acme");

        JsonNode response = invokeSync(event.toString().getBytes(StandardCharsets.UTF_8));

        assertEquals(403, response.get("statusCode").asInt());
        assertEquals("FORBIDDEN", Json.parse(response.get("body").asText()).get("error").get("code").asText());
        assertTrue(rig.coordinator.http().requests().isEmpty());
    }

    @Test
    void getUsage_listsRecordsWithSyncStatusForAdminAndTheTenantItself() throws Exception {
        writeUsage();
        rig.sync().run();

        APIGatewayProxyResponseEvent admin = apiFunction.handleRequest(
                EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-usage.json"), null);
        assertEquals(200, admin.getStatusCode());
        JsonNode records = body(admin).get("records");
        assertEquals(2, records.size());
        assertEquals("acme/2026-11-22T10:00:00Z/gpu_hours", records.get(0).get("idempotencyKey").asText());
        assertEquals("ACCEPTED", records.get(0).get("status").asText());
        assertEquals("1.000000000", records.get(0).get("quantity").asText());
        assertEquals("api_calls", records.get(1).get("metric").asText());

        APIGatewayProxyResponseEvent tenant = apiFunction.handleRequest(
                EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-usage-tenant.json"), null);
        assertEquals(200, tenant.getStatusCode());
        assertEquals(records, body(tenant).get("records"));
    }

    @Test
    void getUsage_pagesWithLimitAndNextToken() throws Exception {
        writeUsage();
        rig.sync().run();
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-usage.json");
        event.setQueryStringParameters(Map.of("tenant", "acme", "from", "2026-11-22T00:00:00Z", "limit", "1"));

        JsonNode first = body(apiFunction.handleRequest(event, null));
        assertEquals(1, first.get("records").size());
        assertNotNull(first.get("nextToken").textValue());
        event.setQueryStringParameters(Map.of("tenant", "acme", "from", "2026-11-22T00:00:00Z", "limit", "1",
                "nextToken", first.get("nextToken").asText()));
        JsonNode second = body(apiFunction.handleRequest(event, null));

        assertEquals("api_calls", second.get("records").get(0).get("metric").asText());
        event.setQueryStringParameters(Map.of("tenant", "beta", "nextToken", first.get("nextToken").asText()));
        assertEquals(400, apiFunction.handleRequest(event, null).getStatusCode(), "a token is bound to its tenant");
    }

    @Test
    void getUsage_forAnotherTenantOrWithoutCredentials_isRefused() throws Exception {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-usage-tenant.json");
        event.setQueryStringParameters(Map.of("tenant", "beta"));
        assertEquals(403, apiFunction.handleRequest(event, null).getStatusCode());

        event.setQueryStringParameters(Map.of("from", "2026-11-23T00:00:00Z", "to", "2026-11-22T00:00:00Z"));
        assertEquals(400, apiFunction.handleRequest(event, null).getStatusCode());

        event.getRequestContext().setAuthorizer(null);
        APIGatewayProxyResponseEvent anonymous = apiFunction.handleRequest(event, null);
        assertEquals(401, anonymous.getStatusCode());
        assertEquals("UNAUTHORIZED", body(anonymous).get("error").get("code").asText());
    }

    @Test
    void getInvoice_answersTheMonthForAdminAndRefusesOtherTenantsAndBadMonths() throws Exception {
        writeUsage();

        APIGatewayProxyResponseEvent admin = apiFunction.handleRequest(
                EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-invoice.json"), null);
        assertEquals(200, admin.getStatusCode());
        JsonNode invoice = body(admin);
        assertEquals("DRAFT", invoice.get("status").asText(), "October is not closed until a day after its end");
        assertEquals("2.880000", invoice.get("totalUsd").asText());
        assertEquals("11.520000", invoice.get("totalTokens").asText());
        assertEquals("0.0008", invoice.get("lines").get(0).get("unitRate").asText());
        assertEquals("2.880000", invoice.get("lines").get(0).get("costUsd").asText());

        assertEquals(403, apiFunction.handleRequest(
                EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-invoice-other-tenant.json"), null).getStatusCode());

        APIGatewayProxyRequestEvent bad = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-invoice.json");
        bad.setPath("/invoices/acme/2026-13");
        APIGatewayProxyResponseEvent badMonth = apiFunction.handleRequest(bad, null);
        assertEquals(400, badMonth.getStatusCode());
        assertEquals("VALIDATION", body(badMonth).get("error").get("code").asText());
        bad.setPath("/invoices/acme/2027-01");
        assertEquals(404, apiFunction.handleRequest(bad, null).getStatusCode());
    }

    @Test
    void getUsage_tokenOfAnotherRangeOrCaller_orCrafted_is400() throws Exception {
        writeUsage();
        rig.sync().run();
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-usage.json");
        event.setQueryStringParameters(Map.of("tenant", "acme", "from", "2026-11-22T00:00:00Z", "limit", "1"));
        String token = body(apiFunction.handleRequest(event, null)).get("nextToken").asText();
        String crafted = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"sk\":\"zzzz\"}".getBytes(StandardCharsets.UTF_8));

        for (Map<String, String> query : List.of(
                Map.of("tenant", "acme", "from", "2026-11-22T11:00:00Z", "limit", "1", "nextToken", token),
                Map.of("tenant", "acme", "from", "2026-11-22T00:00:00Z", "to", "2026-11-22T10:30:00Z", "nextToken", token),
                Map.of("tenant", "acme", "nextToken", crafted))) {
            event.setQueryStringParameters(query);
            APIGatewayProxyResponseEvent response = apiFunction.handleRequest(event, null);
            assertEquals(400, response.getStatusCode(), query + ": " + response.getBody());
            assertEquals("VALIDATION", body(response).get("error").get("code").asText());
        }
        APIGatewayProxyRequestEvent tenant = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-usage-tenant.json");
        tenant.setQueryStringParameters(Map.of("tenant", "acme", "from", "2026-11-22T00:00:00Z", "limit", "1", "nextToken", token));
        assertEquals(400, apiFunction.handleRequest(tenant, null).getStatusCode(), "a token is bound to its caller");
    }

    @Test
    void getUsage_boundTokenWithAPositionOutsideTheQuery_is400() throws Exception {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-usage.json");
        Map<String, String> query = Map.of("tenant", "acme", "from", "2026-11-22T11:00:00Z", "to", "2026-11-22T12:00:00Z");
        Caller caller = new Caller(Caller.Role.valueOf(event.getRequestContext().getAuthorizer().get("role").toString()),
                event.getRequestContext().getAuthorizer().get("principal").toString());
        PageScope scope = new PageScope("GET /sla/billing/usage", caller, Map.of(), query);
        String inside = "2026-11-22T11:00:00Z#api_calls#0001";
        for (Map<String, String> position : List.of(
                Map.of("pk", "SYNC#2026-11-22T10:00:00Z", "sk", "acme#gpu_hours#0001", "tenantKey", "SYNC#acme",
                        "tenantSort", "2026-11-22T10:00:00Z#gpu_hours#0001"),
                Map.of("pk", "SYNC#2026-11-22T11:00:00Z", "sk", "acme#api_calls#0001", "tenantKey", "SYNC#beta",
                        "tenantSort", inside),
                Map.of("pk", "SYNC#2026-11-22T10:00:00Z", "sk", "acme#api_calls#0001", "tenantKey", "SYNC#acme",
                        "tenantSort", inside),
                Map.of("pk", "SYNC#2026-11-22T11:00:00Z", "sk", "acme#api_calls#0001", "tenantKey", "SYNC#acme",
                        "tenantSort", "2026-11-22T11:00:00Z#api_calls"))) {
            Map<String, String> withToken = new HashMap<>(query);
            withToken.put("nextToken", PageToken.issue(scope, position));
            event.setQueryStringParameters(withToken);
            APIGatewayProxyResponseEvent response = apiFunction.handleRequest(event, null);
            assertEquals(400, response.getStatusCode(), position + ": " + response.getBody());
        }
    }

    @Test
    void getInvoice_beforeThePriceBook_is400NamingIt() throws Exception {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "billing-api-get-invoice.json");
        event.setPath("/invoices/acme/2019-12");
        APIGatewayProxyResponseEvent response = apiFunction.handleRequest(event, null);
        assertEquals(400, response.getStatusCode(), response.getBody());
        assertTrue(body(response).get("error").get("message").asText().contains("price book"), response.getBody());
    }
}
