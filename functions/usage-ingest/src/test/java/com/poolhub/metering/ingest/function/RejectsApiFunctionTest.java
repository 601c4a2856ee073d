package com.poolhub.metering.ingest.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.api.PageScope;
import com.poolhub.metering.api.PageToken;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.aws.TelemetryIngestion;
import com.poolhub.metering.aws.UsageIngestion;
import com.poolhub.metering.aws.dynamodb.DynamoRejectStore;
import com.poolhub.metering.audit.AuditLog;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.audit.StoredAuditRecord;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.ingest.function.IngestHarness.SentEvent;
import com.poolhub.metering.ingest.rejects.RejectOperations;
import com.poolhub.metering.ingest.rejects.RejectsApi;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.testing.KinesisEvents;
import com.poolhub.metering.testing.LocalDynamo;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /rejects/{stream}} and {@code POST /rejects/{stream}/replay} on the emulator, over rejects
 * the real ingest function kept: listing and paging, replay of chosen ids and of pages, each event
 * counted once however often it is replayed, admins only, bad input a 400.
 */
class RejectsApiFunctionTest {
    private static final String EVENTS = "../../events/";
    private static final String DAY = "2026-11-22";

    private final IngestHarness harness = new IngestHarness();
    private final SentEvent early = new SentEvent("//nodes/n1", "clock-skew", "acme", "GPU", "compute_seconds", "4.5",
            RejectReplayFunctionTest.SKEWED);
    private RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;

    @BeforeEach
    void keepRejects() {
        var batch = KinesisEvents.shard("shardId-000000000000", 1);
        // the event 8 minutes ahead of the ingest clock, its resend, and two elements that are no events
        for (String record : List.of(early.json(), early.json(), "[1,2]")) {
            batch.record("acme", record);
        }
        harness.function().handleRequest(batch.build(), null);
        assertEquals(4, harness.rejects().size());
        function = api(RejectReplayFunctionTest.LATER);
    }

    private RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api(Clock clock) {
        return api(clock, new DynamoAuditLog(LocalDynamo.client(), harness.tables.get(Table.AUDIT), Duration.ofDays(400), clock));
    }

    private RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> api(Clock clock, AuditLog audit) {
        RejectOperations operations = new RejectOperations(Map.of(
                UsageIngestion.STREAM, harness.settings().pipeline(LocalDynamo.client(), clock),
                TelemetryIngestion.STREAM, harness.telemetrySettings().pipeline(LocalDynamo.client(), clock)),
                new DynamoRejectStore(LocalDynamo.client(), harness.tables.get(Table.REJECTS), Duration.ofDays(35)), audit);
        return ConformingApi.of(new RejectsApiFunction(new RejectsApi(operations)));
    }

    private List<AuditRecord> auditRecords() {
        DynamoAuditLog audit = new DynamoAuditLog(LocalDynamo.client(), harness.tables.get(Table.AUDIT), Duration.ofDays(400),
                RejectReplayFunctionTest.LATER);
        return audit.day(LocalDate.parse(DAY)).stream().map(StoredAuditRecord::record).toList();
    }

    @Test
    void aReplay_isAuditedFirst_withTheRejectsItReplays() {
        String id = idOf("IN_FUTURE");
        ok(replay(UsageIngestion.STREAM, "{\"day\": \"" + DAY + "\", \"ids\": [\"" + id + "\"]}", "ADMIN"));
        ok(replay(UsageIngestion.STREAM, "{\"day\": \"" + DAY + "\", \"ids\": [\"" + id + "\"]}", "ADMIN"));

        List<AuditRecord> records = auditRecords();
        assertEquals(1, records.size(), "the second replay found nothing to replay: " + records);
        AuditRecord record = records.get(0);
        assertEquals(AuditTypes.REJECTS_REPLAYED, record.change().type());
        assertEquals(UsageIngestion.STREAM + "/" + DAY, record.change().subject());
        assertEquals(id, record.change().before().get("rejects").get(0).asText());
        assertEquals("ops", record.actor().principal());
    }

    @Test
    void whenTheReplayCannotBeAudited_nothingIsReplayed_andTheAnswerIs503() {
        int kept = harness.rejects().size();
        RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> unaudited = api(RejectReplayFunctionTest.LATER,
                (actor, change) -> {
                    throw new AuditUnavailableException("audit table unavailable", null);
                });
        APIGatewayProxyResponseEvent response = unaudited.handleRequest(
                replay(UsageIngestion.STREAM, "{\"day\": \"" + DAY + "\"}", "ADMIN"), null);
        assertEquals(503, response.getStatusCode(), response.getBody());
        assertEquals(kept, harness.rejects().size());
        assertEquals(IngestHarness.oracle(List.of()), harness.aggregates());
    }

    private static APIGatewayProxyRequestEvent list(String stream, Map<String, String> query, String role) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "rejects-api-get-rejects.json");
        event.setPath("/rejects/" + stream);
        event.setPathParameters(Map.of("stream", stream));
        event.setQueryStringParameters(query);
        event.getRequestContext().setAuthorizer(new HashMap<>(Map.of("role", role, "principal", "ops")));
        return event;
    }

    private static APIGatewayProxyRequestEvent replay(String stream, String body, String role) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent(EVENTS + "rejects-api-post-replay.json");
        event.setPath("/rejects/" + stream + "/replay");
        event.setPathParameters(Map.of("stream", stream));
        event.setBody(body);
        event.getRequestContext().setAuthorizer(new HashMap<>(Map.of("role", role, "principal", "ops")));
        return event;
    }

    private JsonNode ok(APIGatewayProxyRequestEvent request) {
        APIGatewayProxyResponseEvent response = function.handleRequest(request, null);
        assertEquals(200, response.getStatusCode(), response.getBody());
        return body(response);
    }

    private static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        ok(list(UsageIngestion.STREAM, Map.of("day", DAY), "ADMIN")).get("rejects").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }

    /** The id of the first kept reject whose reason code is {@code code}. */
    private String idOf(String code) {
        for (JsonNode reject : ok(list(UsageIngestion.STREAM, Map.of("day", DAY), "ADMIN")).get("rejects")) {
            if (reject.get("reasonCode").asText().equals(code)) {
                return reject.get("id").asText();
            }
        }
        throw new AssertionError("no reject " + code);
    }

    @Test
    void list_sampleEvent_showsEachRejectWithItsReasonAndData() {
        JsonNode body = ok(EventLoader.loadApiGatewayRestEvent(EVENTS + "rejects-api-get-rejects.json"));

        assertEquals(4, body.get("rejects").size());
        assertTrue(body.get("nextToken").isNull());
        JsonNode first = body.get("rejects").get(0);
        assertEquals("shardId-000000000000", first.get("shardId").asText());
        assertNotNull(first.get("sequenceNumber").asText());
        assertEquals(0, first.get("index").asInt());
        assertEquals("IN_FUTURE", first.get("reasonCode").asText());
        assertEquals(early.json(), first.get("data").asText());
        assertTrue(first.get("arrivedAt").asText().startsWith(DAY + "T"), first.toString());
        List<String> codes = new ArrayList<>();
        body.get("rejects").forEach(r -> codes.add(r.get("reasonCode").asText()));
        assertEquals(2, codes.stream().filter("IN_FUTURE"::equals).count(), codes.toString());
    }

    @Test
    void list_pagesWithLimitAndNextToken_likeOnePage() {
        List<String> paged = new ArrayList<>();
        Map<String, String> query = new HashMap<>(Map.of("day", DAY, "limit", "1"));
        int pages = 0;
        while (true) {
            JsonNode page = ok(list(UsageIngestion.STREAM, query, "ADMIN"));
            page.get("rejects").forEach(r -> paged.add(r.get("id").asText()));
            pages++;
            if (page.get("nextToken").isNull()) {
                break;
            }
            query.put("nextToken", page.get("nextToken").asText());
        }
        assertEquals(ids(), paged);
        assertTrue(pages >= 4);
        assertEquals(0, ok(list(TelemetryIngestion.STREAM, Map.of("day", DAY), "ADMIN")).get("rejects").size());
        assertEquals(0, ok(list(UsageIngestion.STREAM, Map.of("day", "2026-11-21"), "ADMIN")).get("rejects").size());
    }

    @Test
    void replayOfAnId_countsItsEventOnce_evenWhenReplayedTwice() {
        String id = idOf("IN_FUTURE");
        String body = "{\"day\": \"" + DAY + "\", \"ids\": [\"" + id + "\"]}";

        JsonNode first = ok(replay(UsageIngestion.STREAM, body, "ADMIN"));
        JsonNode second = ok(replay(UsageIngestion.STREAM, body, "ADMIN"));

        assertEquals(1, first.get("replayed").asInt(), first.toString());
        assertEquals(0, first.get("stillRejected").size());
        assertEquals(0, first.get("failed").asInt());
        assertEquals(0, first.get("notFound").size());
        assertEquals(0, second.get("replayed").asInt(), second.toString());
        assertEquals(List.of(id), List.of(second.get("notFound").get(0).asText()));
        assertEquals(IngestHarness.oracle(List.of(early)), harness.aggregates());
        assertEquals(3, harness.rejects().size());

        // the resend's reject: its event is found counted, so it goes, and nothing is counted again
        JsonNode resend = ok(replay(UsageIngestion.STREAM, "{\"day\": \"" + DAY + "\", \"ids\": [\"" + idOf("IN_FUTURE") + "\"]}", "ADMIN"));
        assertEquals(1, resend.get("replayed").asInt());
        assertEquals(IngestHarness.oracle(List.of(early)), harness.aggregates());
        assertEquals(2, harness.rejects().size());
    }

    @Test
    void replayOfTheDay_sampleEvent_countsTheValidEventOnce_andKeepsTheOthersWithTheirReasons() {
        JsonNode first = ok(EventLoader.loadApiGatewayRestEvent(EVENTS + "rejects-api-post-replay.json"));
        JsonNode again = ok(EventLoader.loadApiGatewayRestEvent(EVENTS + "rejects-api-post-replay.json"));

        assertEquals(2, first.get("replayed").asInt(), "the event and its resend: one counted, one found counted");
        assertEquals(2, first.get("stillRejected").size());
        first.get("stillRejected").forEach(r -> assertNotNull(r.get("reasonCode").asText()));
        assertEquals(0, first.get("failed").asInt());
        assertTrue(first.get("nextToken").isNull());
        assertEquals(0, again.get("replayed").asInt());
        assertEquals(2, again.get("stillRejected").size());
        assertEquals(IngestHarness.oracle(List.of(early)), harness.aggregates());
        assertEquals(2, harness.rejects().size());
    }

    @Test
    void replayInPages_goesPastRejectsStillRefused() {
        int replayed = 0;
        int still = 0;
        int calls = 0;
        String token = null;
        do {
            String body = "{\"day\": \"" + DAY + "\", \"limit\": 1" + (token == null ? "" : ", \"nextToken\": \"" + token + "\"") + "}";
            JsonNode page = ok(replay(UsageIngestion.STREAM, body, "ADMIN"));
            replayed += page.get("replayed").asInt();
            still += page.get("stillRejected").size();
            token = page.get("nextToken").isNull() ? null : page.get("nextToken").asText();
            calls++;
        } while (token != null && calls < 10);
        assertEquals(2, replayed);
        assertEquals(2, still);
        assertEquals(IngestHarness.oracle(List.of(early)), harness.aggregates());
    }

    @Test
    void boundTokenWithAPositionThatIsNoRejectOfTheDay_is400() {
        Caller admin = new Caller(Caller.Role.ADMIN, "ops");
        String otherDay = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "2026-11-21T12:00:00Z#shardId-000000000000#1#0000".getBytes(StandardCharsets.UTF_8));
        for (Map<String, String> position : List.of(Map.of("after", "2026-13-45T00:00:00Z#GPU#compute_seconds"),
                Map.of("after", otherDay), Map.of("other", "x"))) {
            Map<String, String> query = Map.of("day", DAY, "limit", "1");
            PageScope scope = new PageScope("GET /rejects/{stream}", admin, Map.of("stream", UsageIngestion.STREAM), query);
            Map<String, String> withToken = new HashMap<>(query);
            withToken.put("nextToken", PageToken.issue(scope, position));
            APIGatewayProxyResponseEvent listed = function.handleRequest(list(UsageIngestion.STREAM, withToken, "ADMIN"), null);
            assertEquals(400, listed.getStatusCode(), position + ": " + listed.getBody());

            Map<String, String> withDay = new HashMap<>(position);
            withDay.put("day", DAY);
            String token = PageToken.issue(new PageScope("POST /rejects/{stream}/replay", admin,
                    Map.of("stream", UsageIngestion.STREAM), Map.of()), withDay);
            APIGatewayProxyResponseEvent replayed = function.handleRequest(replay(UsageIngestion.STREAM,
                    "{\"day\": \"" + DAY + "\", \"nextToken\": \"" + token + "\"}", "ADMIN"), null);
            assertEquals(400, replayed.getStatusCode(), position + ": " + replayed.getBody());
        }
        assertEquals(4, harness.rejects().size());
    }

    @Test
    void tenantAndMinerKeys_are403() {
        for (String role : List.of("TENANT", "MINER")) {
            for (APIGatewayProxyResponseEvent response : List.of(
                    function.handleRequest(list(UsageIngestion.STREAM, Map.of("day", DAY), role), null),
                    function.handleRequest(replay(UsageIngestion.STREAM, "{\"day\": \"" + DAY + "\"}", role), null))) {
                assertEquals(403, response.getStatusCode(), role);
                assertEquals("FORBIDDEN", body(response).get("error").get("code").asText());
            }
        }
        assertEquals(4, harness.rejects().size());
        assertEquals(Map.of(), harness.aggregates());
    }

    @Test
    void badInput_is400WithTheErrorBody() {
        String crafted = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"after\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        String otherDay = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "2026-11-21T12:00:00Z#shardId-000000000000#1#0000".getBytes(StandardCharsets.UTF_8));
        List<APIGatewayProxyRequestEvent> requests = new ArrayList<>(List.of(
                list(UsageIngestion.STREAM, Map.of(), "ADMIN"),
                list(UsageIngestion.STREAM, Map.of("day", "22/11/2026"), "ADMIN"),
                list(UsageIngestion.STREAM, Map.of("day", "2026-02-30"), "ADMIN"),
                list("billing-events", Map.of("day", DAY), "ADMIN"),
                list(UsageIngestion.STREAM, Map.of("day", DAY, "limit", "0"), "ADMIN"),
                list(UsageIngestion.STREAM, Map.of("day", DAY, "nextToken", crafted), "ADMIN")));
        for (String body : List.of("", "not json", "[]", "{}", "{\"day\": 20261122}", "{\"day\": \"2026-11-22\", \"limit\": 0}",
                "{\"day\": \"2026-11-22\", \"limit\": \"ten\"}", "{\"day\": \"2026-11-22\", \"ids\": \"all\"}",
                "{\"day\": \"2026-11-22\", \"ids\": []}", "{\"day\": \"2026-11-22\", \"ids\": [\"nope\"]}",
                "{\"day\": \"2026-11-22\", \"ids\": [7]}", "{\"day\": \"2026-11-22\", \"ids\": [\"" + otherDay + "\"]}",
                "{\"day\": \"2026-11-22\", \"nextToken\": 5}", "{\"day\": \"2026-11-22\", \"nextToken\": \"" + crafted + "\"}",
                "{\"day\": \"2026-11-22\", \"ids\": [\"" + otherDay + "\"], \"nextToken\": \"" + crafted + "\"}")) {
            requests.add(replay(UsageIngestion.STREAM, body, "ADMIN"));
        }
        requests.add(replay("billing-events", "{\"day\": \"2026-11-22\"}", "ADMIN"));
        for (APIGatewayProxyRequestEvent request : requests) {
            APIGatewayProxyResponseEvent response = function.handleRequest(request, null);
            assertEquals(400, response.getStatusCode(), request.getPath() + " " + request.getQueryStringParameters() + " "
                    + request.getBody() + ": " + response.getBody());
            assertEquals("VALIDATION", body(response).get("error").get("code").asText());
        }
        assertEquals(4, harness.rejects().size());
    }
}
