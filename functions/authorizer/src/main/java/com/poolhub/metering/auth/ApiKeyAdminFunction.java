package com.poolhub.metering.auth;

import com.poolhub.metering.logging.LambdaLogContext;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.poolhub.metering.api.Caller;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operator's key tool, invoked directly (never through the API):
 * {@code {"action": "issue", "role": "TENANT", "principal": "acme"}} answers with the new key, the
 * only time it is shown; {@code {"action": "revoke", "keyId": "..."}} revokes a key.
 */
public final class ApiKeyAdminFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    private final ApiKeys keys;

    public ApiKeyAdminFunction() {
        this(ApiKeys.fromEnvironment());
    }

    public ApiKeyAdminFunction(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> request, Context context) {
        try (LambdaLogContext ignored = LambdaLogContext.of(context)) {
            return handle(request, context);
        }
    }

    private Map<String, Object> handle(Map<String, Object> request, Context context) {
        Map<String, Object> answer = new LinkedHashMap<>();
        String action = request == null ? null : String.valueOf(request.get("action"));
        try {
            if ("issue".equals(action)) {
                Caller.Role role = role(request.get("role"));
                String principal = String.valueOf(request.get("principal"));
                ApiKey key = keys.issue(role, principal);
                answer.put("keyId", key.id());
                answer.put("role", role.name());
                answer.put("principal", principal);
                answer.put("apiKey", key.value());
            } else if ("revoke".equals(action)) {
                String id = String.valueOf(request.get("keyId"));
                answer.put("keyId", id);
                answer.put("revoked", keys.revoke(id));
            } else {
                answer.put("error", "expected {\"action\": \"issue\", \"role\": \"ADMIN|TENANT|MINER\", \"principal\": \"id\"}"
                        + " or {\"action\": \"revoke\", \"keyId\": \"id\"}");
            }
        } catch (IllegalArgumentException e) {
            answer.put("error", e.getMessage());
        }
        return answer;
    }

    private static Caller.Role role(Object value) {
        try {
            return Caller.Role.valueOf(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("role must be ADMIN, TENANT or MINER");
        }
    }
}
