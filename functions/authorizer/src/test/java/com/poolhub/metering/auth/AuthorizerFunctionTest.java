package com.poolhub.metering.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.testing.LocalDynamo;
import com.poolhub.metering.audit.AuditActor;
import com.poolhub.metering.audit.AuditRecord;
import com.poolhub.metering.audit.AuditTypes;
import com.poolhub.metering.audit.AuditUnavailableException;
import com.poolhub.metering.audit.StoredAuditRecord;
import com.poolhub.metering.aws.audit.DynamoAuditLog;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The authorizer against the local DynamoDB emulator: live keys pass with their caller, every other key is refused. */
class AuthorizerFunctionTest {
    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/usage/acme";

    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final Map<Table, String> tables = LocalDynamo.freshTables();
    private final String table = tables.get(Table.API_KEYS);
    private final ApiKeys keys = new ApiKeys(new DynamoApiKeyStore(dynamo, table), Clock.systemUTC());
    private final AuthorizerFunction authorizer = new AuthorizerFunction(keys);
    private final DynamoAuditLog audit = new DynamoAuditLog(dynamo, tables.get(Table.AUDIT), Duration.ofDays(400), Clock.systemUTC());
    private final ApiKeyAdminFunction admin = new ApiKeyAdminFunction(keys, audit);

    @Test
    void liveKey_isAllowedWithTheCallersRoleAndPrincipal() {
        ApiKey key = keys.issue(Caller.Role.TENANT, "acme");

        IamPolicyResponseV1 policy = authorizer.handleRequest(event("Bearer " + key.value()), null);

        assertEquals(Map.of("role", "TENANT", "principal", "acme", "keyId", key.id()), policy.getContext());
        Map<?, ?> statement = ((Map<?, ?>[]) policy.getPolicyDocument().get("Statement"))[0];
        assertEquals("Allow", statement.get("Effect"));
        assertEquals("execute-api:Invoke", statement.get("Action"));
        assertEquals("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/*", List.of((String[]) statement.get("Resource")).get(0));
    }

    @Test
    void missingMalformedUnknownOrWrongSecretKeys_areUnauthorized() {
        ApiKey key = keys.issue(Caller.Role.ADMIN, "ops");
        String wrongSecret = key.value().substring(0, key.value().length() - 4) + "AAAA";
        String unknown = ApiKey.generate().value();

        for (String token : new String[] {null, "", "Bearer", key.value(), "Bearer not-a-key", "Bearer " + wrongSecret,
                "Bearer " + unknown}) {
            SecurityException refused = assertThrows(SecurityException.class,
                    () -> authorizer.handleRequest(event(token), null), "token " + token);
            assertEquals("Unauthorized", refused.getMessage());
        }
    }

    @Test
    void revokedKey_isUnauthorizedFromTheNextRequest() {
        ApiKey key = keys.issue(Caller.Role.MINER, "gpu-node-17");
        authorizer.handleRequest(event("Bearer " + key.value()), null);

        Map<String, Object> answer = admin.handleRequest(Map.of("action", "revoke", "keyId", key.id()), null);

        assertEquals(true, answer.get("revoked"));
        assertThrows(SecurityException.class, () -> authorizer.handleRequest(event("Bearer " + key.value()), null));
        assertEquals(false, admin.handleRequest(Map.of("action", "revoke", "keyId", "0000000000000000"), null).get("revoked"));
    }

    @Test
    void issue_printsTheKeyOnce_andStoresOnlyItsHash() {
        Map<String, Object> answer = admin.handleRequest(
                EventLoader.loadEvent("api-key-admin-issue.json", Map.class), null);
        String value = (String) answer.get("apiKey");

        Map<String, AttributeValue> stored = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("KEY#" + answer.get("keyId")), "sk", AttributeValue.fromS("KEY")))).item();
        assertEquals(ApiKey.sha256(value), stored.get("hash").s());
        assertEquals("acme", stored.get("principal").s());
        assertFalse(stored.values().stream().anyMatch(v -> value.equals(v.s())), "the key itself is never stored");
        assertEquals(Map.of("role", "TENANT", "principal", "acme", "keyId", answer.get("keyId")),
                authorizer.handleRequest(event("Bearer " + value), null).getContext());
    }

    @Test
    void issue_refusesABadRoleOrPrincipal() {
        assertTrue(String.valueOf(admin.handleRequest(Map.of("action", "issue", "role", "ROOT", "principal", "x"), null)
                .get("error")).contains("role"));
        assertTrue(String.valueOf(admin.handleRequest(Map.of("action", "issue", "role", "TENANT", "principal", "a b"), null)
                .get("error")).contains("principal"));
        assertTrue(admin.handleRequest(Map.of("action", "delete"), null).containsKey("error"));
    }

    @Test
    void sampleEvent_withAnUnknownKey_isUnauthorized() {
        APIGatewayCustomAuthorizerEvent sample = EventLoader.loadEvent("authorizer-token.json", APIGatewayCustomAuthorizerEvent.class);

        assertThrows(SecurityException.class, () -> authorizer.handleRequest(sample, null));
    }

    @Test
    void primer_runsTheHotPathWithoutTheKeyStore() {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(AuthorizerFunction::prime);
    }

    private static APIGatewayCustomAuthorizerEvent event(String token) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("TOKEN");
        event.setAuthorizationToken(token);
        event.setMethodArn(METHOD_ARN);
        return event;
    }

    private List<AuditRecord> auditRecords() {
        return audit.day(LocalDate.now(ZoneOffset.UTC)).stream().map(StoredAuditRecord::record).toList();
    }

    @Test
    void issueAndRevoke_areAudited_withTheKeysIdRoleAndPrincipal_butNeverTheKey() {
        Map<String, Object> issued = admin.handleRequest(Map.of("action", "issue", "role", "TENANT", "principal", "acme"), null);
        admin.handleRequest(Map.of("action", "revoke", "keyId", issued.get("keyId")), null);
        admin.handleRequest(Map.of("action", "revoke", "keyId", issued.get("keyId")), null);

        List<AuditRecord> records = auditRecords();
        assertEquals(List.of(AuditTypes.API_KEY_ISSUED, AuditTypes.API_KEY_REVOKED),
                records.stream().map(r -> r.change().type()).toList(), "a second revocation changes nothing and is not recorded");
        AuditRecord issue = records.get(0);
        assertEquals(issued.get("keyId"), issue.change().subject());
        assertEquals(AuditActor.OPERATOR, issue.actor().role());
        assertEquals("TENANT", issue.change().after().get("role").asText());
        assertEquals("acme", issue.change().after().get("principal").asText());
        assertTrue(issue.change().before().isNull());
        assertTrue(records.get(1).change().after().isNull());
        String apiKey = (String) issued.get("apiKey");
        for (AuditRecord record : records) {
            String text = record.change().toString();
            assertFalse(text.contains(apiKey) || text.contains(ApiKey.sha256(apiKey)), "no key nor hash in " + text);
        }
    }

    @Test
    void whenTheAuditRecordCannotBeWritten_noKeyIsIssuedOrRevoked() {
        ApiKey live = keys.issue(Caller.Role.TENANT, "acme");
        ApiKeyAdminFunction refusing = new ApiKeyAdminFunction(keys, (actor, change) -> {
            throw new AuditUnavailableException("audit table unavailable", null);
        });
        Map<String, Object> issued = refusing.handleRequest(Map.of("action", "issue", "role", "ADMIN", "principal", "ops"), null);
        Map<String, Object> revoked = refusing.handleRequest(Map.of("action", "revoke", "keyId", live.id()), null);

        assertTrue(String.valueOf(issued.get("error")).contains("audit trail"), issued.toString());
        assertFalse(issued.containsKey("apiKey"));
        assertTrue(String.valueOf(revoked.get("error")).contains("audit trail"), revoked.toString());
        assertEquals(1, dynamo.scan(b -> b.tableName(table)).count(), "only the key issued before is stored");
        assertEquals("TENANT", authorizer.handleRequest(event("Bearer " + live.value()), null).getContext().get("role"));
    }
}
