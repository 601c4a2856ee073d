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
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The authorizer against the local DynamoDB emulator: live keys pass with their caller, every other key is refused. */
class AuthorizerFunctionTest {
    private static final String METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/usage/acme";

    private final DynamoDbClient dynamo = LocalDynamo.client();
    private final String table = LocalDynamo.freshTables().get(Table.API_KEYS);
    private final ApiKeys keys = new ApiKeys(new DynamoApiKeyStore(dynamo, table), Clock.systemUTC());
    private final AuthorizerFunction authorizer = new AuthorizerFunction(keys);
    private final ApiKeyAdminFunction admin = new ApiKeyAdminFunction(keys);

    @Test
    void liveKey_isAllowedWithTheCallersRoleAndPrincipal() {
        ApiKey key = keys.issue(Caller.Role.TENANT, "acme");

        IamPolicyResponseV1 policy = authorizer.handleRequest(event("Bearer " + key.value()), null);

        assertEquals(Map.of("role", "TENANT", "principal", "acme"), policy.getContext());
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
        assertEquals(Map.of("role", "TENANT", "principal", "acme"),
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
}
