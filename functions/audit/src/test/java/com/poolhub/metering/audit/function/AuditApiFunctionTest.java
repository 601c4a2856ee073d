package com.poolhub.metering.audit.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditChainCheck;
import com.poolhub.metering.audit.AuditChange;
import com.poolhub.metering.audit.AuditCanonical;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code GET /audit} and {@code GET /audit/verify} on the local DynamoDB, every answer checked
 * against openapi.yaml, and the verification command over the same table.
 */
class AuditApiFunctionTest {
    private final MutableClock clock = MutableClock.at("2026-12-03T09:00:00Z");
    private DynamoDbClient dynamo;
    private String table;
    private DynamoAuditLog log;
    private RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;
    private final List<AuditRecord> written = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        dynamo = LocalDynamo.client();
        table = LocalDynamo.freshTables().get(Table.AUDIT);
        log = new DynamoAuditLog(dynamo, table, Duration.ofDays(400), clock);
        function = ConformingApi.of(new AuditApiFunction(
                new AuditRoutes(log, new AuditChainCheck(log, clock, Duration.ofDays(400)), clock)));
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(10));
            AuditActor actor = new AuditActor("key-" + i % 2, "ADMIN", i % 2 == 0 ? "ops" : "finance", "req-" + i);
            String type = i < 3 ? AuditTypes.QUOTA_LIMITS_SET : AuditTypes.API_KEY_REVOKED;
            written.add(log.append(actor, new AuditChange(type, "acme", Json.parse("{\"limit\":\"" + i + "\"}"),
                    Json.parse("{\"limit\":\"" + (i + 1) + "\"}"))));
        }
        clock.advance(Duration.ofMinutes(1));
    }

    @AfterEach
    void close() {
        dynamo.close();
    }

    private APIGatewayProxyResponseEvent get(String sample, Map<String, String> query, String role) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("../../events/" + sample);
        event.setQueryStringParameters(query);
        Map<String, Object> authorizer = new HashMap<>(event.getRequestContext().getAuthorizer());
        authorizer.put("role", role);
        event.getRequestContext().setAuthorizer(authorizer);
        return function.handleRequest(event, null);
    }

    private static JsonNode body(APIGatewayProxyResponseEvent response) throws Exception {
        return Json.parse(response.getBody());
    }

    @Test
    void theSampleEvents_areAnswered() {
        APIGatewayProxyRequestEvent list = EventLoader.loadApiGatewayRestEvent("../../events/audit-api-get-records.json");
        APIGatewayProxyRequestEvent verify = EventLoader.loadApiGatewayRestEvent("../../events/audit-api-get-verify.json");
        assertEquals(200, function.handleRequest(list, null).getStatusCode());
        assertEquals(200, function.handleRequest(verify, null).getStatusCode());
    }

    @Test
    void list_pagesThroughTheRange_oldestFirst_withEveryFieldOfTheRecord() throws Exception {
        Map<String, String> query = new HashMap<>(Map.of("from", "2026-12-03T00:00:00Z", "to", "2026-12-04T00:00:00Z", "limit", "2"));
        List<JsonNode> records = new ArrayList<>();
        for (int pages = 0; pages < 10; pages++) {
            APIGatewayProxyResponseEvent response = get("audit-api-get-records.json", query, "ADMIN");
            assertEquals(200, response.getStatusCode(), response.getBody());
            JsonNode page = body(response);
            page.get("records").forEach(records::add);
            if (page.get("nextToken").isNull()) {
                break;
            }
            query.put("nextToken", page.get("nextToken").asText());
        }
        assertEquals(5, records.size());
        for (int i = 0; i < 5; i++) {
            JsonNode record = records.get(i);
            AuditRecord expected = written.get(i);
            assertEquals(expected.sequence(), record.get("sequence").asLong());
            assertEquals(expected.hash(), record.get("hash").asText());
            assertEquals(expected.actor().keyId(), record.get("keyId").asText());
            assertEquals(expected.actor().requestId(), record.get("requestId").asText());
            assertEquals(expected.previous().hash(), record.at("/previous/hash").asText());
            assertEquals(AuditCanonical.json(expected.change().after()), AuditCanonical.json(record.get("after")));
            assertEquals(expected.at(), Instant.parse(record.get("at").asText()));
        }
    }

    @Test
    void list_filtersByTypeAndPrincipal() throws Exception {
        JsonNode byType = body(get("audit-api-get-records.json", Map.of("from", "2026-12-03T00:00:00Z",
                "type", AuditTypes.API_KEY_REVOKED), "ADMIN"));
        assertEquals(List.of(4L, 5L), sequences(byType));
        JsonNode byPrincipal = body(get("audit-api-get-records.json", Map.of("from", "2026-12-03T00:00:00Z",
                "principal", "finance"), "ADMIN"));
        assertEquals(List.of(2L, 4L), sequences(byPrincipal));
    }

    private static List<Long> sequences(JsonNode page) {
        List<Long> sequences = new ArrayList<>();
        page.get("records").forEach(r -> sequences.add(r.get("sequence").asLong()));
        return sequences;
    }

    @Test
    void onlyAdmins_readTheAuditTrail() {
        assertEquals(403, get("audit-api-get-records.json", Map.of(), "TENANT").getStatusCode());
        assertEquals(403, get("audit-api-get-verify.json", Map.of("day", "2026-12-03"), "MINER").getStatusCode());
    }

    @Test
    void badQueries_are400s() {
        assertEquals(400, get("audit-api-get-records.json", Map.of("type", "quota limits"), "ADMIN").getStatusCode());
        assertEquals(400, get("audit-api-get-records.json", Map.of("from", "2026-12-03T00:00:00Z",
                "to", "2026-12-02T00:00:00Z"), "ADMIN").getStatusCode());
        assertEquals(400, get("audit-api-get-records.json", Map.of("from", "2025-01-01T00:00:00Z"), "ADMIN").getStatusCode());
        assertEquals(400, get("audit-api-get-records.json", Map.of("nextToken", "forged"), "ADMIN").getStatusCode());
        assertEquals(400, get("audit-api-get-verify.json", Map.of(), "ADMIN").getStatusCode());
        assertEquals(400, get("audit-api-get-verify.json", Map.of("day", "03/12/2026"), "ADMIN").getStatusCode());
        assertEquals(400, get("audit-api-get-verify.json", Map.of("day", "2026-12-05"), "ADMIN").getStatusCode());
    }

    @Test
    void verify_reportsAnIntactDay_thenTheTamperedRecord() throws Exception {
        JsonNode intact = body(get("audit-api-get-verify.json", Map.of("day", "2026-12-03"), "ADMIN"));
        assertTrue(intact.get("intact").asBoolean(), intact.toString());
        assertEquals(5, intact.get("records").asInt());
        assertEquals(written.get(4).hash(), intact.get("lastHash").asText());

        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("DAY#2026-12-03"), "sk", AttributeValue.fromS("000000000002")))
                .updateExpression("SET principal = :p").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("someone"))));
        JsonNode tampered = body(get("audit-api-get-verify.json", Map.of("day", "2026-12-03"), "ADMIN"));
        assertFalse(tampered.get("intact").asBoolean());
        assertEquals("TAMPERED", tampered.at("/problems/0/kind").asText());
        assertEquals(2, tampered.at("/problems/0/sequence").asInt());
    }

    @Test
    void theCommand_exits0OnAnIntactChain_and1AfterARecordIsDeleted() {
        assertEquals(AuditChainCommand.INTACT, command("--table", table, "--from", "2026-12-01", "--to", "2026-12-03"));
        dynamo.deleteItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("DAY#2026-12-03"), "sk", AttributeValue.fromS("000000000003"))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = AuditChainCommand.run(new String[] {"--table", table}, dynamo, clock,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(AuditChainCommand.DAMAGED, code);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"kind\":\"MISSING\""), out.toString(StandardCharsets.UTF_8));
        assertEquals(AuditChainCommand.USAGE, command("--from", "2026-12-01"));
        assertEquals(AuditChainCommand.USAGE, command("--table", table, "--from", "2026-12-04", "--to", "2026-12-01"));
    }

    private int command(String... args) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        return AuditChainCommand.run(args, dynamo, clock, quiet, quiet);
    }
}
