package com.poolhub.metering.auth;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.poolhub.metering.api.Caller;
import com.poolhub.metering.aws.dynamodb.Table;
import com.poolhub.metering.logging.LogCapture;
import com.poolhub.metering.testing.LocalDynamo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No log line and no refusal the authorizer or the key admin gives ever holds an API key or its secret part. */
class AuthorizerLogsNoKeyTest {
    private final java.util.Map<Table, String> tables = LocalDynamo.freshTables();
    private final String table = tables.get(Table.API_KEYS);
    private final ApiKeys keys = new ApiKeys(new DynamoApiKeyStore(LocalDynamo.client(), table), Clock.systemUTC());
    private final AuthorizerFunction authorizer = new AuthorizerFunction(keys);
    private final ApiKeyAdminFunction admin = new ApiKeyAdminFunction(keys, new com.poolhub.metering.aws.audit.DynamoAuditLog(
            LocalDynamo.client(), tables.get(Table.AUDIT), java.time.Duration.ofDays(400), Clock.systemUTC()));

    @Test
    void allowedRefusedIssuedAndRevokedKeys_neverReachTheLogsOrErrors() {
        List<String> secrets = new ArrayList<>();
        List<String> said = new ArrayList<>();
        try (LogCapture capture = LogCapture.start()) {
            ApiKey live = keys.issue(Caller.Role.TENANT, "acme");
            secrets.add(live.value());
            said.add(String.valueOf(authorizer.handleRequest(event("Bearer " + live.value()), null).getContext()));
            String wrongSecret = live.value().substring(0, live.value().length() - 4) + "AAAA";
            String unknown = ApiKey.generate().value();
            secrets.add(wrongSecret);
            secrets.add(unknown);
            for (String token : List.of("Bearer " + wrongSecret, "Bearer " + unknown, live.value(), "Bearer x" + unknown)) {
                said.add(assertThrows(SecurityException.class, () -> authorizer.handleRequest(event(token), null))
                        .getMessage());
            }
            Map<String, Object> issued = admin.handleRequest(Map.of("action", "issue", "role", "ADMIN", "principal", "ops"), null);
            secrets.add((String) issued.get("apiKey"));
            said.add(String.valueOf(admin.handleRequest(Map.of("action", "revoke", "keyId", issued.get("keyId")), null)));
            said.add(String.valueOf(admin.handleRequest(Map.of("action", "issue", "role", "ROOT", "principal", unknown), null)));
            said.addAll(capture.lines());
        }
        for (String secret : secrets) {
            String secretPart = secret.substring(secret.length() - 12);
            for (String text : said) {
                assertFalse(text.contains(secretPart), "a key's secret part was said: " + text);
            }
        }
    }

    private static APIGatewayCustomAuthorizerEvent event(String token) {
        APIGatewayCustomAuthorizerEvent event = new APIGatewayCustomAuthorizerEvent();
        event.setType("TOKEN");
        event.setAuthorizationToken(token);
        event.setMethodArn("arn:aws:execute-api:us-east-1:123456789012:abc123/prod/GET/usage/acme");
        return event;
    }
}
