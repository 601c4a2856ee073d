package com.poolhub.metering.quota.function;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.poolhub.metering.apispec.ConformingApi;
import com.poolhub.metering.aws.Workers;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import com.poolhub.metering.aws.dynamodb.DynamoDbMeter;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.aws.dynamodb.ledger.LedgerSettings;
import com.poolhub.metering.aws.quota.DynamoQuotaStore;
import com.poolhub.metering.aws.quota.QuotaCounting;
import com.poolhub.metering.aws.quota.QuotaSeeder;
import com.poolhub.metering.json.Json;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.testing.MutableClock;
import com.poolhub.metering.testing.RecordingPublisher;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A QuotaFunction on fresh local tables (seeding quotas from the usage table), with a hand-moved clock, a recording publisher and a request meter. */
final class QuotaFixture {
    static final Duration LATE_ARRIVAL_LIMIT = Duration.ofDays(35);
    final MutableClock clock = MutableClock.at("2026-11-22T12:00:00Z");
    final RecordingPublisher publisher = new RecordingPublisher();
    final DynamoDbMeter meter = new DynamoDbMeter();
    final DynamoDbClient dynamo = LocalDynamo.client(meter);
    final Map<Table, String> tables = LocalDynamo.freshTables();
    final DynamoQuotaStore store = new DynamoQuotaStore(dynamo, tables.get(Table.QUOTAS));
    final QuotaService service = new QuotaService(store, publisher, clock,
            QuotaSeeder.of(dynamo, store, tables.get(Table.USAGE), LATE_ARRIVAL_LIMIT, LedgerSettings.immediate(),
                    QuotaCounting.DEFAULT_CACHE_TTL, Workers.pool(4, "quota-seed"), clock));
    final DynamoAuditLog audit = new DynamoAuditLog(dynamo, tables.get(Table.AUDIT), Duration.ofDays(400), clock);
    final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function = ConformingApi.of(new QuotaFunction(service, audit));

    /** A sample event from the project's {@code events/} folder, as {@code sam local invoke} uses it. */
    static APIGatewayProxyRequestEvent sample(String name) {
        return EventLoader.loadApiGatewayRestEvent("../../events/" + name);
    }

    /** The sample event with another body and caller. */
    static APIGatewayProxyRequestEvent sample(String name, String body, String role, String principal) {
        APIGatewayProxyRequestEvent event = sample(name);
        event.setBody(body);
        Map<String, Object> authorizer = new HashMap<>();
        if (role != null) {
            authorizer.put("role", role);
            authorizer.put("principal", principal);
        }
        event.getRequestContext().setAuthorizer(authorizer);
        return event;
    }

    /** A PUT /quota/limits/{tenant} by an admin. */
    static APIGatewayProxyRequestEvent putLimits(String tenant, String body) {
        APIGatewayProxyRequestEvent event = sample("quota-put-limits.json", body, "ADMIN", "ops-admin");
        event.setPath("/quota/limits/" + tenant);
        event.setPathParameters(Map.of("tenant", tenant));
        return event;
    }

    static APIGatewayProxyRequestEvent consume(String tenant, String body) {
        return sample("quota-consume.json", body, "TENANT", tenant);
    }

    static APIGatewayProxyRequestEvent check(String tenant, String body) {
        return sample("quota-check.json", body, "TENANT", tenant);
    }

    static APIGatewayProxyRequestEvent overview(String tenant, String role, String principal) {
        APIGatewayProxyRequestEvent event = sample("quota-get.json", null, role, principal);
        event.setPath("/quota/" + tenant);
        event.setPathParameters(Map.of("tenant", tenant));
        return event;
    }

    APIGatewayProxyResponseEvent call(APIGatewayProxyRequestEvent event) {
        return function.handleRequest(event, null);
    }

    static JsonNode body(APIGatewayProxyResponseEvent response) {
        try {
            return Json.parse(response.getBody());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.getBody(), e);
        }
    }
}
